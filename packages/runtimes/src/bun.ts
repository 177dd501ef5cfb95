/**
 * Runs the checks on Bun, from the `bun` npm package (its postinstall links the binary of
 * `@oven/bun-<platform>` into `bun/bin/bun.exe`).
 *
 * @module
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProcessOutput, RuntimeInput } from '../fixtures/protocol.ts';
import { runJsonProcess } from './run-json-process.ts';
import {
  coreDir,
  entryWithin,
  honoDir,
  packageDir,
  type RuntimeRun,
  versionAt,
} from './runtime-run.ts';

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
  const home = await mkdtemp(join(tmpdir(), 'torii-bun-'));
  try {
    const output = (await runJsonProcess(
      bunBinary(),
      ['--no-install', 'run', join('fixtures', 'bun-main.ts')],
      {
        cwd: packageDir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          NO_COLOR: '1',
          DO_NOT_TRACK: '1',
          BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0',
        },
        stdin: JSON.stringify(input),
      },
    )) as ProcessOutput;
    return {
      runtime: 'bun',
      version: versionAt(require.resolve('bun/package.json')),
      coreEntry: entryWithin(output.resolved.core, coreDir),
      honoEntry: entryWithin(output.resolved.hono, honoDir),
      report: output.report,
    };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
