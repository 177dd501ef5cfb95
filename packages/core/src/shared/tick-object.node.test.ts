import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the node entry's held tick object is for, shown on the runtime itself: a process schedules
// ticks, runs full garbage collections while none is queued, schedules ticks again, and prints
// V8's feedback for process.nextTick (%DebugPrint, --allow-natives-syntax). The stores of the tick
// object's properties (four on Node 20, five on 22 and 24) stay MONOMORPHIC when something holds a
// tick object, and turn MEGAMORPHIC (every tick through a runtime call from then on) when nothing
// does.

const run = promisify(execFile);
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

// Written to a file at test time: the `%` syntax only parses with --allow-natives-syntax.
const PROBE = `
const target = process.argv[2];
const load = target === 'none' ? Promise.resolve() : target.endsWith('.cjs')
  ? Promise.resolve(require(target)) : import(require('node:url').pathToFileURL(target).href);
load.then(async () => {
  const noop = () => {};
  const drain = () => new Promise((resolve) => setImmediate(resolve));
  const ticks = async () => {
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 2000; i++) process.nextTick(noop);
      await drain();
    }
  };
  await ticks();
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (let i = 0; i < 4; i++) gc();
  await ticks();
  %DebugPrint(process.nextTick);
});
`;

let dir: string;
let probe: string;

beforeAll(() => {
  for (const file of ['index.js', 'index.node.js', 'index.node.cjs']) {
    if (!existsSync(join(DIST, file))) {
      throw new Error(`dist/${file} is missing: run \`pnpm --filter @torii/core build\` first`);
    }
  }
  dir = mkdtempSync(join(tmpdir(), 'torii-tick-probe-'));
  probe = join(dir, 'probe.cjs');
  writeFileSync(probe, PROBE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The states of nextTick's DefineKeyedOwnPropertyInLiteral feedback slots after the probe. */
async function storeStates(target: string): Promise<string[]> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--allow-natives-syntax', probe, target],
    { timeout: 30_000, maxBuffer: 16 * 2 ** 20 },
  );
  return [...stdout.matchAll(/DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1] ?? '');
}

describe("process.nextTick after a full garbage collection (the node entry's held tick object)", () => {
  it('without torii, the tick object stores turn megamorphic (what the held object prevents)', async () => {
    const states = await storeStates('none');
    expect(states.length).toBeGreaterThanOrEqual(4);
    expect(states).toContain('MEGAMORPHIC');
  });

  it.each([
    ['ESM', 'index.node.js'],
    ['CJS', 'index.node.cjs'],
  ])('with the %s node entry loaded, they stay monomorphic', async (_, file) => {
    const states = await storeStates(join(DIST, file));
    expect(states.length).toBeGreaterThanOrEqual(4);
    expect(new Set(states)).toEqual(new Set(['MONOMORPHIC']));
  });

  it('the default (Web Crypto) entry holds nothing: it turns megamorphic there too', async () => {
    const states = await storeStates(join(DIST, 'index.js'));
    expect(states).toContain('MEGAMORPHIC');
  });
});
