/**
 * Runs the checks on a runtime that is a process (Bun, Deno): a fresh temporary home, the
 * runtime's entry fed the input on stdin, and its one JSON line turned into a {@link RuntimeRun}.
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** How to start one process runtime on its entry in `fixtures/`. */
export interface ProcessRuntime {
  /** `bun` or `deno`: the name in the {@link RuntimeRun} and in the temporary directory's name. */
  runtime: string;
  /** The runtime's binary. */
  binary: string;
  /** The `package.json` of the installed runtime package, whose `version` the run reports. */
  packageJson: string;
  /** The arguments, entry script included (run from this package's directory). */
  args: readonly string[];
  /**
   * The child's environment besides `PATH`, `HOME` (= `home`) and `NO_COLOR=1`. `home` is a fresh
   * temporary directory, removed after the run: point the runtime's caches there.
   */
  env: (home: string) => Record<string, string>;
}

/**
 * Runs `runtime` from this package's directory (so `@torii/core` and `@torii/hono` resolve from
 * its `node_modules` with the runtime's own export conditions), with nothing of this process's
 * environment but `PATH`, and reads back the {@link ProcessOutput} the entry prints. The entries
 * it loaded must lie inside `packages/core` and `packages/hono`.
 *
 * @example
 * ```ts
 * const run = await runOnProcessRuntime(input, {
 *   runtime: 'bun',
 *   binary: bunBinary(),
 *   packageJson: require.resolve('bun/package.json'),
 *   args: ['--no-install', 'run', 'fixtures/bun-main.ts'],
 *   env: () => ({ DO_NOT_TRACK: '1' }),
 * });
 * ```
 */
export async function runOnProcessRuntime(
  input: RuntimeInput,
  runtime: ProcessRuntime,
): Promise<RuntimeRun> {
  const home = await mkdtemp(join(tmpdir(), `torii-${runtime.runtime}-`));
  try {
    const output = (await runJsonProcess(runtime.binary, runtime.args, {
      cwd: packageDir,
      env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...runtime.env(home) },
      stdin: JSON.stringify(input),
    })) as ProcessOutput;
    return {
      runtime: runtime.runtime,
      version: versionAt(runtime.packageJson),
      coreEntry: entryWithin(output.resolved.core, coreDir),
      honoEntry: entryWithin(output.resolved.hono, honoDir),
      report: output.report,
    };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
