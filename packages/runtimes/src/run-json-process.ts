/**
 * Spawns a runtime on a script, feeds it JSON on stdin and reads one JSON line back.
 *
 * @module
 */
import { spawn } from 'node:child_process';

/** Options of {@link runJsonProcess}. */
export interface RunJsonProcessOptions {
  /** Working directory of the child (where the runtime looks for `package.json` and `node_modules`). */
  cwd: string;
  /** The child's whole environment (nothing is inherited). */
  env: Record<string, string>;
  /** Sent to the child's stdin, then stdin is closed. */
  stdin: string;
  /** The child is killed after this long. @default 30_000 */
  timeoutMs?: number;
}

/**
 * Runs `command args...`, writes `stdin`, and parses the last non-empty stdout line as JSON.
 * Rejects, with the child's stderr, when it cannot start, exits non-zero, times out or prints no
 * JSON: a runtime that is missing or broken fails the test, never skips it.
 *
 * @example
 * ```ts
 * const output = await runJsonProcess(bunBinary(), ['fixtures/bun-main.ts'], { cwd, env, stdin: '{}' });
 * ```
 */
export function runJsonProcess(
  command: string,
  args: readonly string[],
  options: RunJsonProcessOptions,
): Promise<unknown> {
  const { cwd, env, stdin, timeoutMs = 30_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${command}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const what = `${command} ${args.join(' ')}`;
      if (timedOut) {
        reject(new Error(`${what} did not finish within ${timeoutMs} ms.\n${stderr}`));
        return;
      }
      if (code !== 0) {
        reject(new Error(`${what} exited with ${code ?? signal}.\n${stderr}${stdout}`));
        return;
      }
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${what} printed no JSON line.\nstdout: ${stdout}\nstderr: ${stderr}`));
      }
    });
    child.stdin.on('error', () => {
      // The child exited before reading stdin; 'close' reports why.
    });
    child.stdin.end(stdin);
  });
}
