/**
 * Keeps Node's `process.nextTick` on its fast path after a full garbage collection. Installed by
 * the `node` entry (`src/index.node.ts`); never imported by the default entry.
 *
 * Node (20, 22 and 24 measured) builds every tick object with an object literal whose first keys
 * are computed symbols, through a chain of hidden classes that only live tick objects hold. A full
 * collection while no tick is queued — a quiet server whenever V8's memory reducer runs — frees
 * that chain. The next tick builds a new one, the property stores whose feedback named the old
 * one turn megamorphic, and from then on every tick defines its properties through a V8 runtime
 * call: 6–9× the cost of a tick (Node 20: 42 → 269 ns in `bench:tick-gc`), several µs a request
 * in a server that schedules a handful of ticks for each. Holding one tick object for the life of
 * the process keeps the chain alive, and the stores stay fast. The cost: one small object.
 *
 * `executionAsyncResource()` inside a tick's callback is that tick's object (public API; no async
 * hook is installed). Where a runtime answers with something else, holding it does nothing.
 *
 * @module
 */
import { executionAsyncResource } from 'node:async_hooks';

/** The tick object held; one per loaded copy of this module (the ESM and CJS builds each hold one). */
const held: unknown[] = [];
let scheduled = false;

/**
 * Schedules one `process.nextTick` and holds its tick object for the life of the process. Does
 * nothing where `process.nextTick` or `executionAsyncResource` is missing, and nothing after the
 * first call.
 */
export function holdTickObject(): void {
  const nextTick = globalThis.process?.nextTick;
  if (scheduled || typeof nextTick !== 'function') return;
  if (typeof executionAsyncResource !== 'function') return;
  scheduled = true;
  nextTick(() => held.push(executionAsyncResource()));
}
