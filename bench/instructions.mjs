// Instructions a request costs each server, counted by valgrind's callgrind: a count that does not
// move with what else the machine is doing, unlike the CPU time of bench/adapters.mjs. Each server
// of the adapter bench runs in its own process under callgrind with counting off. After a warm-up
// (JIT, keys fetched) counting is switched on for batches of requests sent over ONE connection, so
// every request takes the same path through the event loop and none shares a wake-up with another
// (the warm-up uses one connection too). The main thread is counted; V8's compiler and GC helper
// threads run at times of their own and are reported apart. The raw ES256 verify is counted the
// same way in its own process.
//
//   npx -y pnpm@12.4.2 bench:instructions       (builds the packages first; needs valgrind:
//                                                apt-get install valgrind)
//   node bench/instructions.mjs [--frameworks fastify,hono] [--variants bare,torii]
//                               [--scenarios same,unique,invalid] [--requests N] [--warmup N]
//                               [--procs N]
//
// Instructions are not time: a signature check runs dense arithmetic at more instructions per
// cycle than JavaScript does, so read the ratios here beside bench/adapters.mjs, not instead of it.
// What this count shows that the CPU time cannot: a difference of a few thousand instructions a
// request, on a host whose noise is worth tens of thousands.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild } from './adapters/child-process.mjs';
import {
  FLOOR_FRAMEWORKS,
  FRAMEWORKS,
  subset,
  VARIANTS,
  verifies,
  count as wholeNumber,
} from './adapters/options.mjs';
import { startServer } from './adapters/start-server.mjs';
import { median } from './adapters/stats.mjs';
import { SLOW_TICK_FUNCTION } from './adapters/tick-state.mjs';
import { mintTokenSets } from './adapters/tokens.mjs';

const SCENARIOS = ['same', 'unique', 'invalid'];
/** Distinct bad-signature tokens the invalid scenario rotates through (as bench:adapters does). */
const INVALID_TOKENS = 2000;
const USAGE = `node bench/instructions.mjs [options]

  --frameworks LIST   comma-separated subset of ${FRAMEWORKS.join(',')} (default fastify,hono,koa)
  --variants LIST     subset of ${VARIANTS.join(',')} (default all)
  --scenarios LIST    subset of ${SCENARIOS.join(',')} (default all)
  --requests N        requests per counted batch, one connection (default 1000); two batches
                      per server and scenario, the second reported
  --warmup N          same-token requests a server gets before anything else (default 15000);
                      then 2000 of each scenario before its count
  --settle S          idle seconds between warm-up and counting (default 2)
  --procs N           processes counted per server, one after another and interleaved with
                      the other variants' (default 1); the report gives each server's median
                      and the range. Two processes of one server can differ by tens of
                      thousands of instructions a request on Express and Nest
  --keep DIR          keep the callgrind files in DIR (callgrind_annotate reads them)
  --help`;

const { values } = parseArgs({
  options: {
    frameworks: { type: 'string', default: 'fastify,hono,koa' },
    variants: { type: 'string', default: VARIANTS.join(',') },
    scenarios: { type: 'string', default: SCENARIOS.join(',') },
    requests: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '15000' },
    settle: { type: 'string', default: '2' },
    procs: { type: 'string', default: '1' },
    keep: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
/** The parsed options; a bad one prints the usage and exits with 2. */
const { frameworks, variants, scenarios, requests, warmup, settleMs, procs } = (() => {
  try {
    const settle = Number(values.settle);
    if (!(settle >= 0)) throw new Error('--settle must be a number of seconds');
    return {
      frameworks: subset(values.frameworks, FRAMEWORKS, 'frameworks'),
      variants: subset(values.variants, VARIANTS, 'variants'),
      scenarios: subset(values.scenarios, SCENARIOS, 'scenarios'),
      requests: wholeNumber(values.requests, 'requests'),
      warmup: wholeNumber(values.warmup, 'warmup'),
      settleMs: settle * 1000,
      procs: wholeNumber(values.procs, 'procs'),
    };
  } catch (error) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
})();
for (const tool of ['valgrind', 'callgrind_control', 'callgrind_annotate']) {
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) {
    console.error(
      `${tool} was not found: this benchmark counts instructions with valgrind's callgrind (Debian: apt-get install valgrind).`,
    );
    process.exit(2);
  }
}

const HERE = fileURLToPath(new URL('./adapters/', import.meta.url));
const RAW = fileURLToPath(new URL('./instructions/raw-verify-child.mjs', import.meta.url));
const PATH = '/me';
/**
 * Instructions a request in SLOW_TICK_FUNCTION (Node's nextTick defining its tick object through
 * the runtime) from which a process counts as in the slow state.
 */
const SLOW_TICK_THRESHOLD = 500;

const started = performance.now();
const log = (message) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

// The unique scenario must never send a token twice to one server: its warm-up and count both
// draw from one list, with a few to spare.
const SCENARIO_WARMUP = 2000;
const uniqueNeeded = scenarios.includes('unique') ? SCENARIO_WARMUP + 4 * requests + 16 : 16;
const invalidNeeded = scenarios.includes('invalid') ? INVALID_TOKENS : 0;
log(`minting ${uniqueNeeded + 1 + invalidNeeded} tokens`);
const { issuer, keys, tokens } = await mintTokenSets({
  unique: uniqueNeeded,
  users: 0,
  invalid: invalidNeeded,
});
const workDir = mkdtempSync(join(tmpdir(), 'torii-instructions-'));
const outDir = values.keep === undefined ? workDir : resolve(values.keep);
mkdirSync(outDir, { recursive: true });
const tokensFile = join(workDir, 'tokens.json');
writeFileSync(tokensFile, JSON.stringify(tokens));

/** valgrind running callgrind, counting off until switched on, one output file per dump. */
const callgrind = (label) => [
  'valgrind',
  '--tool=callgrind',
  '--quiet',
  '--instr-atstart=no',
  '--dump-instr=no',
  '--separate-threads=yes',
  `--callgrind-out-file=${join(outDir, `callgrind.${label}.%p`)}`,
];

/**
 * Counts the instructions `work()` makes the child `pid` run: counting on, `work()` once
 * uncounted, then counted, then a dump (which also zeroes the counters) and counting off.
 * @returns {Promise<{ total: number, background: number, slowTick: number, result: object }>}
 *   instructions of the main thread, of the other threads, and of the main thread in
 *   {@link SLOW_TICK_FUNCTION}; `result` is what `work()` answered
 */
async function count(pid, label, work) {
  execFileSync('callgrind_control', ['--instr=on', String(pid)], { stdio: 'ignore' });
  // The first requests after counting is switched on cost more (a compile burst in V8 that
  // counting's slowdown sets off): one uncounted batch, then zero the counters.
  await work();
  execFileSync('callgrind_control', ['--zero', String(pid)], { stdio: 'ignore' });
  const result = await work();
  execFileSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' });
  execFileSync('callgrind_control', ['--instr=off', String(pid)], { stdio: 'ignore' });
  // One file per thread and dump: `callgrind.<label>.<pid>.<dump>-<thread>`; thread 01 is the
  // main thread (the request path), the others V8's and libuv's background threads.
  const prefix = `callgrind.${label}.${pid}.`;
  const files = readdirSync(outDir).filter((name) => name.startsWith(prefix));
  const dumpOf = (name) => Number(name.slice(prefix.length).split('-')[0]);
  const lastDump = Math.max(...files.map(dumpOf));
  let main = null;
  let background = 0;
  let slowTick = 0;
  for (const name of files.filter((f) => dumpOf(f) === lastDump)) {
    const file = join(outDir, name);
    // `totals:` (the `summary:` line of a dump made after a zeroing can be garbage).
    const totals = readFileSync(file, 'utf8').match(/^totals: (\d+)/m);
    if (totals === null) throw new Error(`${file}: no totals line`);
    if (!name.endsWith('-01')) {
      background += Number(totals[1]);
      continue;
    }
    main = Number(totals[1]);
    const annotated = execFileSync(
      'callgrind_annotate',
      ['--inclusive=no', '--threshold=100', file],
      { encoding: 'utf8', maxBuffer: 1 << 28 },
    );
    const slowLine = annotated.split('\n').find((line) => line.includes(SLOW_TICK_FUNCTION));
    if (slowLine !== undefined)
      slowTick = Number(slowLine.trim().split(/\s+/)[0].replaceAll(',', ''));
  }
  if (main === null) throw new Error(`${label}: no main-thread dump in ${outDir}`);
  return { total: main, background, slowTick, result };
}

const load = startChild(join(HERE, 'load-child.mjs'), {
  env: { BENCH_TOKENS_FILE: tokensFile },
  label: 'load generator',
});
const rows = [];
let rawVerify = null;
try {
  await load.once('ready');

  // ---- the raw verify, counted over `requests` verifications
  {
    log('raw node:crypto.verify under callgrind');
    const child = startChild(RAW, {
      env: { BENCH_TOKENS_FILE: tokensFile, BENCH_JWK: JSON.stringify(keys.jwks.keys[0]) },
      wrapper: callgrind('raw'),
      label: 'raw verify',
    });
    try {
      await child.once('ready', 180_000);
      await child.request('verify', { count: 200 });
      const { total } = await count(child.pid, 'raw', () =>
        child.request('verify', { count: requests }),
      );
      rawVerify = total / requests;
    } finally {
      await child.stop();
    }
  }

  // With --procs, every variant's first process, then every variant's second, and so on: what
  // the machine does over the run falls on all variants alike.
  for (let proc = 1; proc <= procs; proc++) {
    for (const framework of frameworks) {
      for (const variant of variants) {
        if (variant === 'floor' && !FLOOR_FRAMEWORKS.includes(framework)) continue;
        const key = `${framework}:${variant}`;
        const label = procs === 1 ? `${framework}-${variant}` : `${framework}-${variant}-p${proc}`;
        log(
          `${key}: starting under callgrind${procs === 1 ? '' : ` (process ${proc} of ${procs})`}`,
        );
        const child = startServer(
          { framework, variant, issuer: issuer.issuer, keys, path: PATH },
          { wrapper: callgrind(label) },
        );
        try {
          const { port } = await child.once('listening', 300_000);
          const run = (scenario, amount, connections) =>
            load.request('run', {
              url: `http://127.0.0.1:${port}`,
              path: PATH,
              scenario,
              serverKey: key,
              seed: 1,
              connections,
              amount,
            });
          // Node's HTTP stack tiers up function by function over the first ~10,000 requests of a
          // process (under callgrind as without it): warm the process up on the cheap scenario
          // first, then each scenario on its own path.
          log(`${key}: ${warmup} warm-up requests (same token)`);
          await run('same', warmup, 1);
          for (const scenario of scenarios) {
            log(
              `${key} ${scenario}: ${SCENARIO_WARMUP} warm-up requests, then 2 × ${requests} counted`,
            );
            await run(scenario, SCENARIO_WARMUP, 1);
            // Idle, so that compiles queued on V8's background threads finish before counting
            // (valgrind runs one thread at a time; a busy main thread starves them).
            await sleep(settleMs);
            // Two counted batches: the second is reported; the first tells whether the JIT had
            // settled (a compile still running in the background shows up as a first batch that
            // costs more).
            const batches = [];
            for (let batch = 0; batch < 2; batch++) {
              const counted = await count(child.pid, label, () => run(scenario, requests, 1));
              const { result } = counted;
              // Bad signatures are refused (401) by every variant that verifies.
              const refused = scenario === 'invalid' && verifies(variant);
              const expected = refused ? result.non2xx : result.status2xx;
              if (expected !== result.requests || result.requests !== requests) {
                throw new Error(
                  `${key} ${scenario}: ${result.status2xx} of ${result.requests} responses were 2xx (expected ${refused ? 0 : requests} of ${requests})`,
                );
              }
              batches.push(counted);
            }
            const [first, second] = batches;
            rows.push({
              proc,
              framework,
              variant,
              scenario,
              perRequest: second.total / requests,
              backgroundPerRequest: second.background / requests,
              firstBatchRatio: first.total / second.total,
              slowTickPerRequest: second.slowTick / requests,
            });
          }
        } finally {
          await child.stop(30_000);
        }
      }
    }
  }
} finally {
  await load.stop();
  await issuer.close();
  rmSync(workDir, { recursive: true, force: true });
}

// ---- report
const k = (n) => `${(n / 1000).toFixed(1)}k`;
console.log(
  `torii adapters vs bare framework vs peer, instructions a request (valgrind callgrind) — Node ${process.version}`,
);
console.log(
  `main thread's instructions a request (other threads: V8's compiler and GC helpers, libuv, apart); ${warmup} same-token warm-up requests, then per scenario ${SCENARIO_WARMUP} more and two counted batches of ${requests} (the second reported; 1st÷2nd near 1.00: the JIT had settled), all over one connection; ${procs === 1 ? 'one process per server' : `${procs} processes per server, each cell the median of its processes (range: the lowest and highest main/req)`}.`,
);
console.log(`raw node:crypto.verify ES256 (KeyObject built once): ${k(rawVerify)} instructions\n`);
const titles = {
  same: '(a) same token: torii answers from its token cache',
  unique: '(b) unique tokens: every request verifies a token never seen before',
  invalid: `(c) invalid-token flood: ${INVALID_TOKENS} well-formed tokens with a bad signature, rotating; every variant that verifies answers 401, bare and pass 200`,
};
const HEADER = [
  'framework'.padEnd(10),
  'variant'.padEnd(8),
  'main/req'.padStart(9),
  '× bare'.padStart(7),
  '+ main'.padStart(9),
  'other thr.'.padStart(10),
  '+ all thr.'.padStart(10),
  '÷ raw'.padStart(6),
  '1st÷2nd'.padStart(8),
  ...(procs === 1 ? [] : ['range'.padStart(15)]),
  ' slow ticks',
];
/** A server's processes in one scenario, as one row: medians (the value itself with one process). */
function summarize(runs) {
  const of = (field) => median(runs.map((run) => run[field]));
  const mains = runs.map((run) => run.perRequest);
  const slow = runs.filter((run) => run.slowTickPerRequest >= SLOW_TICK_THRESHOLD);
  return {
    ...runs[0],
    perRequest: of('perRequest'),
    backgroundPerRequest: of('backgroundPerRequest'),
    firstBatchRatio: of('firstBatchRatio'),
    range: [Math.min(...mains), Math.max(...mains)],
    slowTicks: slowTicksCell(slow, runs.length),
  };
}
/** The slow-ticks cell: yes or no for one process, how many of the processes with --procs. */
function slowTicksCell(slow, processes) {
  if (procs > 1) return ` ${slow.length} of ${processes}`;
  return slow.length === 1
    ? ` yes (${k(slow[0].slowTickPerRequest)} in ${SLOW_TICK_FUNCTION})`
    : ' no';
}
const summaries = [];
for (const row of rows) {
  const same = (r) =>
    r.scenario === row.scenario && r.framework === row.framework && r.variant === row.variant;
  if (!summaries.some(same)) summaries.push(summarize(rows.filter(same)));
}
for (const scenario of scenarios) {
  console.log(titles[scenario]);
  console.log(HEADER.join(' '));
  for (const row of summaries.filter((r) => r.scenario === scenario)) {
    const bare = summaries.find(
      (r) => r.scenario === scenario && r.framework === row.framework && r.variant === 'bare',
    );
    const compared = bare !== undefined && row.variant !== 'bare';
    const addedMain = compared ? row.perRequest - bare.perRequest : null;
    const addedAll = compared
      ? addedMain + row.backgroundPerRequest - bare.backgroundPerRequest
      : null;
    const cells = [
      row.framework.padEnd(10),
      row.variant.padEnd(8),
      k(row.perRequest).padStart(9),
      (bare === undefined ? '' : (row.perRequest / bare.perRequest).toFixed(2)).padStart(7),
      (compared ? `+${k(addedMain)}` : '').padStart(9),
      k(row.backgroundPerRequest).padStart(10),
      (compared ? `+${k(addedAll)}` : '').padStart(10),
      (compared ? (addedAll / rawVerify).toFixed(2) : '').padStart(6),
      row.firstBatchRatio.toFixed(2).padStart(8),
      ...(procs === 1 ? [] : [`${k(row.range[0])}–${k(row.range[1])}`.padStart(15)]),
      row.slowTicks,
    ];
    console.log(cells.join(' '));
  }
  console.log('');
}
console.log(
  `main/req: the main thread's instructions a request; × bare and + main compare it with the bare route's. other thr.: the other threads' (V8's compiler and GC helpers, and libuv's pool, where Web Crypto runs a verify: jose and hono/jwk verify there). + all thr.: what the auth layer adds on all threads; ÷ raw: that in raw verifications. 1st÷2nd: the first counted batch over the second (near 1.00: the JIT had settled).`,
);
console.log(
  `slow ticks: whether this process's (with --procs: how many of the server's processes') process.nextTick defines its tick objects through ${SLOW_TICK_FUNCTION} (Node's runtime) instead of inline stores. A process in that state spends ~30k more instructions on every request whatever its auth layer; it enters it when a full garbage collection runs while no tick is queued, which the tick object every bench server holds prevents (see bench/adapters/server-child.mjs).`,
);
