// What a process.nextTick costs before and after full garbage collections that run while no tick
// is queued (what V8's memory reducer does in a quiet server), in Node alone and with @torii/core
// loaded (its node entry holds one tick object, which keeps the tick object's hidden classes
// alive; see packages/core/src/shared/tick-object.node.ts). A new process per run, the two
// variants alternated; medians.
//
//   npx -y pnpm@12.4.2 bench:tick-gc         (builds the packages first)
//   node bench/tick-after-gc.mjs [--rounds N]

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { median } from './adapters/stats.mjs';

const CHILD = fileURLToPath(new URL('./tick-after-gc/child.mjs', import.meta.url));
const VARIANTS = { node: 'Node alone', torii: 'with @torii/core loaded' };
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a whole number ≥ 1');

const run = promisify(execFile);
const results = { node: [], torii: [] };
for (let round = 0; round < rounds; round++) {
  for (const variant of Object.keys(VARIANTS)) {
    const { stdout } = await run(process.execPath, ['--expose-gc', CHILD, variant]);
    results[variant].push(JSON.parse(stdout));
  }
}

console.log(
  `process.nextTick, ns a tick (Node ${process.version}, median of ${rounds} processes each)`,
);
console.log('');
console.log('| | before the collections | after them | after ÷ before |');
console.log('|---|---:|---:|---:|');
for (const [variant, title] of Object.entries(VARIANTS)) {
  const before = median(results[variant].map((r) => r.before));
  const after = median(results[variant].map((r) => r.after));
  console.log(
    `| ${title} | ${before.toFixed(1)} | ${after.toFixed(1)} | ${(after / before).toFixed(2)}× |`,
  );
}
