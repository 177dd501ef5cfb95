/**
 * Runs the checks on Bun, from the `bun` npm package (its postinstall links the binary of
 * `@oven/bun-<platform>` into `bun/bin/bun.exe`).
 *
 * @module
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RuntimeInput } from '../fixtures/protocol.ts';
import { runOnProcessRuntime } from './run-on-process-runtime.ts';
import type { RuntimeRun } from './runtime-run.ts';

const require = createRequire(import.meta.url);

/**
 * The Bun binary of the installed `bun` package. Throws when only the placeholder is there
 * (the postinstall did not run: `allowBuilds: { bun: true }` in `pnpm-workspace.yaml`).
 */
export function bunBinary(): string {
  const binary = join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe');
  if (statSync(binary).size < 1_000_000) {
    throw new Error(
      `${binary} is the placeholder of the bun package: its postinstall did not run. Allow it with allowBuilds: { bun: true } in pnpm-workspace.yaml and reinstall.`,
    );
  }
  return binary;
}

/**
 * Runs `fixtures/bun-main.ts` on Bun from this package's directory, so that `@torii/core` and
 * `@torii/hono` resolve from `node_modules` with Bun's export conditions. `--no-install` keeps
 * Bun from auto-installing anything; the transpiler cache is off.
 *
 * @example
 * ```ts
 * const run = await runOnBun(input);
 * run.coreEntry; // 'dist/index.node.js'
 * ```
 */
export async function runOnBun(input: RuntimeInput): Promise<RuntimeRun> {
  return runOnProcessRuntime(input, {
    runtime: 'bun',
    binary: bunBinary(),
    packageJson: require.resolve('bun/package.json'),
    args: ['--no-install', 'run', join('fixtures', 'bun-main.ts')],
    env: () => ({ DO_NOT_TRACK: '1', BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' }),
  });
}
