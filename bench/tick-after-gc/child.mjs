// One process of bench/tick-after-gc.mjs: what a process.nextTick costs before and after full
// garbage collections run while no tick is queued, with or without @torii/core loaded (argv[2]:
// 'node' or 'torii'). Needs --expose-gc. Prints one JSON line: { before, after } in ns a tick.

const variant = process.argv[2];
if (variant === 'torii') await import('@torii/core');
else if (variant !== 'node') throw new Error(`unknown variant ${variant}`);
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

const BATCH = 10_000;
const noop = () => {};
const drain = () => new Promise((resolve) => setImmediate(resolve));

/** The cheapest of 30 batches, ns a tick (scheduling and running it). */
async function nsPerTick() {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 30; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) process.nextTick(noop);
    await drain();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / BATCH);
  }
  return best;
}

for (let i = 0; i < 4; i++) await nsPerTick(); // the JIT settles
const before = await nsPerTick();
await new Promise((resolve) => setTimeout(resolve, 50)); // quiet: no tick queued
for (let i = 0; i < 4; i++) globalThis.gc();
for (let i = 0; i < 4; i++) await nsPerTick();
const after = await nsPerTick();
console.log(JSON.stringify({ before, after }));
