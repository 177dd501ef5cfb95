// Command-line options of bench/adapters.mjs (flags win over the BENCH_* environment variables);
// bench/instructions.mjs uses its lists and parsers too.

import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const FRAMEWORKS = ['express', 'fastify', 'hono', 'koa', 'nest'];
/**
 * bare: the route alone; pass: an empty middleware (hook, guard) in torii's place, which sets `auth`
 * and goes on: what one more layer costs in that framework; torii; peer: the best-known library;
 * floor: one raw signature check.
 */
export const VARIANTS = ['bare', 'pass', 'torii', 'peer', 'floor'];
/** Whether `variant` checks tokens: bare and pass let every request through (200 to any token). */
export const verifies = (variant) => variant !== 'bare' && variant !== 'pass';
/** Frameworks that offer the 'floor' variant (a raw signature check in the server, nothing else). */
export const FLOOR_FRAMEWORKS = ['express', 'fastify', 'hono', 'koa'];
export const SCENARIO_ORDER = ['same', 'unique', 'zipf', 'invalid'];

export const USAGE = `node bench/adapters.mjs [options]

  --quick               1 repetition of 0.6 s runs, 0.2 s warm-ups (about 1.5 minutes)
  --frameworks LIST     comma-separated subset of ${FRAMEWORKS.join(',')}
  --variants LIST       subset of ${VARIANTS.join(',')} (pass: an empty middleware in
                        torii's place, what one more layer costs in that framework)
  --scenarios LIST      subset of ${SCENARIO_ORDER.join(',')}
  --reps N              interleaved repetitions (BENCH_REPS, default 3)
  --reuse-servers       start each server once for all repetitions (default: a new process
                        per server in every repetition, started, checked and warmed up again)
  --duration S          seconds per measured run (BENCH_DURATION, default 1.2)
  --warmup S            seconds of each warm-up run (default 0.4)
  --connections N       autocannon connections (default 20)
  --unique N            distinct tokens cycled in (b) (default 60000: well beyond the cache's
                        admission window of 16,384 first sightings, so none comes back cached)
  --users N             users of the Zipf mix (c) (default 10000)
  --invalid N           distinct bad-signature tokens cycled in (d) (default 2000)
  --seed N              seed of the Zipf draws and the server order (default 1)
  --pin                 taskset: servers and the raw verify on CPU 0, the load generator on CPU 1
  --prof LIST           framework:variant pairs to run under node --cpu-prof (e.g. fastify:torii)
  --prof-dir DIR        where the .cpuprofile files go (default bench/cpu-profiles)
  --json FILE           also write every sample and the summary as JSON
  --help`;

export const number = (value, name) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};
export const count = (value, name) => {
  const n = number(value, name);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be a whole number`);
  return n;
};

export const subset = (value, all, name) => {
  if (value === undefined) return all;
  const picked = value.split(',').map((s) => s.trim().toLowerCase());
  for (const p of picked) {
    if (!all.includes(p)) throw new Error(`--${name}: unknown '${p}' (one of ${all.join(', ')})`);
  }
  return all.filter((a) => picked.includes(a));
};

export function readOptions(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      frameworks: { type: 'string' },
      variants: { type: 'string' },
      scenarios: { type: 'string' },
      reps: { type: 'string' },
      'reuse-servers': { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      unique: { type: 'string' },
      users: { type: 'string' },
      invalid: { type: 'string' },
      seed: { type: 'string' },
      pin: { type: 'boolean', default: false },
      prof: { type: 'string' },
      'prof-dir': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick;
  const options = {
    help: values.help,
    quick,
    frameworks: subset(values.frameworks, FRAMEWORKS, 'frameworks'),
    variants: subset(values.variants, VARIANTS, 'variants'),
    scenarios: subset(values.scenarios, SCENARIO_ORDER, 'scenarios'),
    reps: count(values.reps ?? env.BENCH_REPS ?? (quick ? 1 : 3), 'reps'),
    fresh: !values['reuse-servers'],
    duration: number(values.duration ?? env.BENCH_DURATION ?? (quick ? 0.6 : 1.2), 'duration'),
    warmup: number(values.warmup ?? (quick ? 0.2 : 0.4), 'warmup'),
    connections: count(values.connections ?? 20, 'connections'),
    unique: count(values.unique ?? 60_000, 'unique'),
    users: count(values.users ?? 10_000, 'users'),
    invalid: count(values.invalid ?? 2_000, 'invalid'),
    seed: count(values.seed ?? 1, 'seed'),
    pin: values.pin,
    prof: new Set(values.prof === undefined ? [] : values.prof.split(',').map((s) => s.trim())),
    profDir: values['prof-dir'] ?? fileURLToPath(new URL('../cpu-profiles/', import.meta.url)),
    json: values.json,
  };
  for (const key of options.prof) {
    const [framework, variant] = key.split(':');
    if (!FRAMEWORKS.includes(framework) || !VARIANTS.includes(variant)) {
      throw new Error(`--prof: '${key}' is not framework:variant (e.g. fastify:torii)`);
    }
  }
  if (!options.variants.includes('bare') && options.variants.length > 0) {
    // Every ratio is against the bare route of the same framework in the same run.
    options.variants = ['bare', ...options.variants];
  }
  return options;
}
