// Whether a server process is in Node's slow process.nextTick state, told from outside while it
// serves: `perf record` (the cpu-clock software event, which needs no hardware counters) samples
// the process, and a process in that state spends a share of its time in one V8 runtime function
// of the node binary, which a process out of it never calls on the request path. bench:instructions
// tells the same state by counting that function's instructions under callgrind.
//
// A process enters the state when a full garbage collection runs while no tick is queued (see
// server-child.mjs). Every bench server holds one tick object, which keeps it out; this reading
// checks that none is in it all the same.

import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Node's process.nextTick builds its tick object with computed symbol keys. Once those stores'
 * feedback is megamorphic, the optimised nextTick defines the properties through this runtime
 * function instead of inline stores.
 */
export const SLOW_TICK_FUNCTION = 'Runtime_DefineKeyedOwnPropertyInLiteral';

/** Samples a second of the process's CPU time: each sample stands for 250 µs of it. */
const FREQUENCY = 4000;
/**
 * CPU µs a request in {@link SLOW_TICK_FUNCTION} from which a process counts as in the slow state
 * (processes in it showed 0.2–0.5 µs; processes out of it, none), and the fewest samples in it
 * that tell: a server that verifies every request serves so few in a second that a slow state
 * shows in a handful of samples, too few to call.
 */
const SLOW_US_PER_REQUEST = 0.1;
const SAMPLES_THAT_TELL = 5;

/** @returns {string | null} why perf cannot sample here, or null when it can */
export function perfUnavailable() {
  const dir = mkdtempSync(join(tmpdir(), 'torii-perf-probe-'));
  try {
    const probe = spawnSync(
      'perf',
      ['record', '-q', '-e', 'cpu-clock', '-o', join(dir, 'probe.data'), '--', 'true'],
      { encoding: 'utf8' },
    );
    if (probe.error !== undefined) return 'perf was not found (Debian: apt-get install linux-perf)';
    if (probe.status !== 0) return `perf record failed: ${probe.stderr.trim().split('\n')[0]}`;
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Samples process `pid` with perf while `during()` runs (load on the process, answering how many
 * requests it sent), and tells whether it is in the slow nextTick state.
 *
 * @param {number} pid
 * @param {() => Promise<{ requests: number }>} during
 * @returns {Promise<{ slow: boolean | null, usPerRequest: number, samples: number }>} slow: null
 * when too few samples tell; usPerRequest: CPU µs a request in {@link SLOW_TICK_FUNCTION}
 */
export async function sampleTickState(pid, during) {
  const dir = mkdtempSync(join(tmpdir(), 'torii-perf-'));
  const data = join(dir, 'perf.data');
  try {
    const recorder = spawn(
      'perf',
      ['record', '-q', '-e', 'cpu-clock', '-F', String(FREQUENCY), '-o', data, '-p', String(pid)],
      { stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => recorder.once('exit', resolve));
    await sleep(200); // perf attaches to the process
    const { requests } = await during();
    recorder.kill('SIGINT');
    await exited;
    const report = await new Promise((resolve, reject) =>
      execFile(
        'perf',
        ['report', '-i', data, '--stdio', '--no-children', '--sort', 'symbol', '-n'],
        { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
    // `  1.49%   30  [.] v8::internal::Runtime_...`: share, then the function's samples.
    const line = report.split('\n').find((l) => l.includes(SLOW_TICK_FUNCTION));
    const samples = line === undefined ? 0 : Number(line.trim().split(/\s+/)[1]);
    const usPerRequest = (samples * (1e6 / FREQUENCY)) / Math.max(1, requests);
    // Below the mark: out of the state. Above it on a handful of samples: not told.
    const slow =
      usPerRequest < SLOW_US_PER_REQUEST ? false : samples >= SAMPLES_THAT_TELL ? true : null;
    return { slow, usPerRequest, samples };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
