// Readable tables of the adapter benchmark: one per scenario.

import { SCENARIOS } from './scenarios.mjs';
import { summarizeOutOfState } from './summary.mjs';

const pad = (text, width, left = false) =>
  left ? String(text).padEnd(width) : String(text).padStart(width);
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const fixed = (n, digits) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const signed = (n) => (Number.isFinite(n) ? `${n >= 0 ? '+' : ''}${n.toFixed(1)}` : '—');
const percent = (n) => (Number.isFinite(n) ? `${Math.round(n * 100)}%` : '—');
/** The lowest and highest × bare over the repetitions. */
const range = (r) => `${fixed(r.rpsVsBareMin, 2)}–${fixed(r.rpsVsBareMax, 2)}`;

const COLUMNS = [
  ['framework', 10, (r) => r.framework, true],
  ['variant', 8, (r) => r.variant, true],
  ['req/s', 9, (r) => int(r.rps)],
  ['× bare', 7, (r) => (r.variant === 'bare' ? '1.00' : fixed(r.rpsVsBare, 2))],
  ['(lo–hi)', 10, (r) => (r.variant === 'bare' || r.runs < 2 ? '' : range(r))],
  ['CPU µs/req', 11, (r) => fixed(r.cpuUsPerReq, 1)],
  ['of it sys', 10, (r) => fixed(r.sysUsPerReq, 1)],
  ['faults', 7, (r) => fixed(r.minorFaultsPerReq, 2)],
  ['+µs vs bare', 12, (r) => (r.variant === 'bare' ? '' : signed(r.addedCpuUs))],
  ['÷ raw verify', 13, (r) => (r.variant === 'bare' ? '' : fixed(r.addedPerRawVerify, 2))],
  [
    '÷ floor',
    8,
    (r) => (r.variant === 'bare' || r.variant === 'floor' ? '' : fixed(r.addedPerFloor, 2)),
  ],
  ['2xx', 5, (r) => percent(r.share2xx)],
  ['p99 ms', 7, (r) => fixed(r.latencyP99Ms, 1)],
  ['srv busy', 9, (r) => percent(r.serverBusy)],
  ['gen busy', 9, (r) => percent(r.loadBusy)],
];

/** The same-token table over processes out of the slow nextTick state. */
const OUT_OF_STATE_COLUMNS = [
  ['framework', 10, (r) => r.framework, true],
  ['variant', 8, (r) => r.variant, true],
  ['processes', 10, (r) => `${r.outOfState} of ${r.processes}`],
  ['CPU µs/req', 11, (r) => fixed(r.cpuUsPerReq, 1)],
  ['+µs vs bare', 12, (r) => (r.variant === 'bare' ? '' : signed(r.addedCpuUs))],
  ['bare ÷ this', 12, (r) => (r.variant === 'bare' ? '' : fixed(r.cpuRatioToBare, 2))],
];

/** A table's header line, and the line of one row. */
const headerOf = (columns) =>
  columns.map(([name, width, , left]) => pad(name, width, left)).join(' ');
const lineOf = (columns, row) =>
  columns.map(([, width, cell, left]) => pad(cell(row), width, left)).join(' ');

/** @returns {string} the tables, for the terminal */
export function formatReport({ rows, meta, rawVerify, peerNames, samples = [], tickStates = [] }) {
  const lines = [];
  lines.push(
    `torii adapters vs bare framework vs peer — Node ${meta.node}, ${meta.cpus} CPUs${meta.pinned ? ' (pinned: servers CPU 0, load CPU 1)' : ''}`,
    `${meta.reps} interleaved repetition(s) of ${meta.duration} s runs, ${meta.connections} connections, medians; ` +
      `ratios and +µs are paired with the bare route of the same repetition.`,
    `raw node:crypto.verify ES256 (cached KeyObject): ${fixed(rawVerify.cpuUs, 1)} µs CPU ` +
      `(${fixed(rawVerify.wallUs, 1)} µs wall), median of ${rawVerify.samples.length} measurement(s) in this run`,
    '',
  );
  const header = headerOf(COLUMNS);
  for (const scenario of meta.scenarios) {
    const { title, note } = SCENARIOS[scenario];
    lines.push(`${title} — ${note}`, header);
    for (const framework of meta.frameworks) {
      for (const variant of meta.variants) {
        const row = rows.find(
          (r) => r.scenario === scenario && r.framework === framework && r.variant === variant,
        );
        if (row === undefined) continue;
        lines.push(lineOf(COLUMNS, row));
        if (row.errors > 0) lines.push(`  ^ ${row.errors} socket errors/timeouts`);
      }
    }
    lines.push('');
  }
  lines.push('peers:');
  for (const framework of meta.frameworks) {
    if (peerNames[framework] !== undefined) lines.push(`  ${framework}: ${peerNames[framework]}`);
  }
  if (tickStates.length > 0) {
    lines.push(
      '',
      'processes in the slow nextTick state (perf samples of each server process, 1 s of same-token requests right after its same-token run):',
    );
    for (const framework of meta.frameworks) {
      const cells = meta.variants
        .map((variant) => {
          const states = tickStates.filter(
            (t) => t.framework === framework && t.variant === variant,
          );
          if (states.length === 0) return null;
          const unknown = states.filter((t) => t.slow === null).length;
          const slow = `${variant} ${states.filter((t) => t.slow === true).length}/${states.length}`;
          return unknown === 0 ? slow : `${slow} (${unknown} not told)`;
        })
        .filter((cell) => cell !== null);
      lines.push(`  ${framework}: ${cells.join(', ')}`);
    }
    lines.push(
      'A process in that state (Node defines each process.nextTick object through a V8 runtime call)',
      'costs several µs more a request whatever its auth layer. A process enters it when a full',
      'garbage collection runs while no tick is queued; every bench server holds one tick object,',
      'which keeps it out (docs/PERFORMANCE.md), so these counts should read 0. Read only the fast',
      "servers' counts (bare, pass, torii): a server that verifies every request shows the state in a",
      'few samples.',
    );
    const calm = summarizeOutOfState(samples, tickStates, meta.frameworks);
    // With every process out of the state, this table would repeat (a)'s same-token cells.
    if (calm.some((row) => row.outOfState < row.processes)) {
      lines.push(
        '',
        'same token, processes out of that state only (medians of their CPU µs a request):',
        headerOf(OUT_OF_STATE_COLUMNS),
        ...calm.map((row) => lineOf(OUT_OF_STATE_COLUMNS, row)),
      );
      lines.push(
        "bare ÷ this: the bare route's CPU a request over this one's, the ratio of their rates when the",
        'server is the bottleneck (every same-token server here runs at 97–98 % of its core).',
      );
    }
  }
  lines.push(
    '',
    'CPU µs/req: server process CPU (user + system, process.cpuUsage) over the run ÷ responses;',
    'of it sys: the system (kernel) part; faults: minor page faults a response (memory the kernel',
    'had to map for the process: heap growth, pages V8 gave back and touched again).',
    '+µs vs bare: what the auth layer adds per request; ÷ raw verify: that, in raw ES256 verifications.',
    '÷ floor: that, over what the floor server (one raw verify in a hook of the same framework) adds in',
    'the same repetition: a signature check costs more inside a server than in a loop of them.',
    '× bare: req/s ÷ the bare route\'s req/s. When "gen busy" is near 100% the load generator, not the',
    'server, set the pace (typically on the bare routes): read the CPU columns, not req/s, then.',
    '(lo–hi): the lowest and highest × bare of the repetitions; on a shared 2-core host a cached',
    "token's × bare has moved by ±0.07 between runs of the same code (docs/PERFORMANCE.md).",
  );
  return lines.join('\n');
}
