/**
 * Runs the checks on Deno, from the `deno` npm package (its postinstall hard-links the binary of
 * `@deno/<platform>` into the package directory).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RuntimeInput } from '../fixtures/protocol.ts';
import { runOnProcessRuntime } from './run-on-process-runtime.ts';
import type { RuntimeRun } from './runtime-run.ts';

const require = createRequire(import.meta.url);

/**
 * The Deno binary of the installed `deno` package. Throws when the postinstall did not put it
 * there (`allowBuilds: { deno: true }` in `pnpm-workspace.yaml`).
 */
export function denoBinary(): string {
  const binary = join(dirname(require.resolve('deno/package.json')), 'deno');
  if (!existsSync(binary)) {
    throw new Error(
      `${binary} is missing: the deno package's postinstall did not run. Allow it with allowBuilds: { deno: true } in pnpm-workspace.yaml and reinstall.`,
    );
  }
  return binary;
}

/**
 * Runs `fixtures/deno-main.ts` on Deno from this package's directory (Deno reads its
 * `package.json` and resolves packages from `node_modules`). The only permission is network
 * access to the issuer's host and port: `@torii/core` needs nothing else. Remote modules and the
 * update check are off, the module cache is a fresh temporary directory.
 *
 * @example
 * ```ts
 * const run = await runOnDeno(input);
 * run.report.verify.expired; // { ok: false, code: 'token_expired', ... }
 * ```
 */
export async function runOnDeno(input: RuntimeInput): Promise<RuntimeRun> {
  return runOnProcessRuntime(input, {
    runtime: 'deno',
    binary: denoBinary(),
    packageJson: require.resolve('deno/package.json'),
    args: [
      'run',
      '--no-prompt',
      '--no-remote',
      `--allow-net=${new URL(input.issuer).host}`,
      join('fixtures', 'deno-main.ts'),
    ],
    env: (home) => ({ DENO_DIR: home, DENO_NO_UPDATE_CHECK: '1' }),
  });
}
