import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Rolldown } from 'tsdown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const PKG = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(PKG, 'dist');
const PROBE = join(PKG, 'test/fixtures/entry-probe');
const pkg = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')) as {
  sideEffects: unknown;
  exports: Record<string, unknown>;
  main: string;
  module: string;
  types: string;
};

/** The probe's answer: `sabotaged` is `verified …` on node:crypto, `signature_invalid` on Web Crypto. */
interface ProbeResult {
  before: string;
  sabotaged: string;
}
const NODE_CRYPTO: ProbeResult = {
  before: 'verified user_probe',
  sabotaged: 'verified user_probe',
};
const WEB_CRYPTO: ProbeResult = { before: 'verified user_probe', sabotaged: 'signature_invalid' };

/** Runs `node ...args` in the package directory (so `@torii/core` resolves to itself). */
async function node(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: PKG, timeout: 15_000 });
  return stdout.trim();
}

beforeAll(() => {
  for (const file of ['index.js', 'index.cjs', 'index.node.js', 'index.node.cjs']) {
    if (!existsSync(join(DIST, file))) {
      throw new Error(`dist/${file} is missing: run \`pnpm --filter @torii/core build\` first`);
    }
  }
});

describe('package.json exports', () => {
  it('offers the node entry under the `node` condition first, then the default entry', () => {
    expect(pkg.exports['.']).toEqual({
      node: {
        import: { types: './dist/index.node.d.ts', default: './dist/index.node.js' },
        require: { types: './dist/index.node.d.cts', default: './dist/index.node.cjs' },
      },
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    });
    expect(Object.keys(pkg.exports['.'] as object)[0]).toBe('node');
    expect([pkg.main, pkg.module, pkg.types]).toEqual([
      './dist/index.cjs',
      './dist/index.js',
      './dist/index.d.cts',
    ]);
  });

  it('lists the node entry files as side effects (they install the backend)', () => {
    expect(pkg.sideEffects).toEqual(['./dist/index.node.js', './dist/index.node.cjs']);
  });

  it('gives the node entry exactly the types of the default entry', () => {
    for (const [node, other] of [
      ['index.node.d.ts', 'index.d.ts'],
      ['index.node.d.cts', 'index.d.cts'],
    ] as const) {
      expect(readFileSync(join(DIST, node), 'utf8')).toBe(readFileSync(join(DIST, other), 'utf8'));
    }
  });

  it('gives the node entry the same runtime exports as the default entry', async () => {
    const script = `const a = require('./dist/index.cjs'), b = require('./dist/index.node.cjs');
      console.log(JSON.stringify([Object.keys(a).sort(), Object.keys(b).sort(), a.ToriiAuthError === b.ToriiAuthError]))`;
    const [plain, nodeEntry, sameClass] = JSON.parse(await node('-e', script)) as [
      string[],
      string[],
      boolean,
    ];
    expect(nodeEntry).toEqual(plain);
    expect(plain).toContain('createVerifier');
    expect(plain).not.toContain('setEs256Backend');
    expect(sameClass).toBe(true); // one shared chunk: one class, one backend slot
  });
});

describe('Node resolves `@torii/core` to the node entry', () => {
  it('import: import.meta.resolve lands on dist/index.node.js', async () => {
    const resolved = await node(
      '--input-type=module',
      '-e',
      "console.log(import.meta.resolve('@torii/core'))",
    );
    expect(fileURLToPath(resolved)).toBe(join(DIST, 'index.node.js'));
  });

  it('require: require.resolve lands on dist/index.node.cjs', async () => {
    expect(await node('-p', "require.resolve('@torii/core')")).toBe(join(DIST, 'index.node.cjs'));
  });

  it.each([
    ['ESM import', `${PROBE}.mjs`],
    ['CJS require', `${PROBE}.cjs`],
  ])('%s of @torii/core verifies with node:crypto', async (_, file) => {
    expect(JSON.parse(await node(file))).toEqual(NODE_CRYPTO);
  });

  it('Node always applies `node`, even with --conditions=browser', async () => {
    expect(JSON.parse(await node('--conditions=browser', `${PROBE}.mjs`))).toEqual(NODE_CRYPTO);
  });

  it('the default entry, loaded by path, verifies with Web Crypto (the probe tells them apart)', async () => {
    const script = `const core = require('./dist/index.cjs');
      import('./test/fixtures/entry-probe-run.mjs').then(({ probe }) => probe(core));`;
    expect(JSON.parse(await node('-e', script))).toEqual(WEB_CRYPTO);
  });
});

describe('a bundler resolving without the `node` condition lands on the default entry', () => {
  const out = mkdtempSync(join(tmpdir(), 'torii-core-entry-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  /** Bundles the ESM probe with rolldown for `platform` and returns the chunk. */
  async function bundle(platform: 'browser' | 'neutral' | 'node') {
    const build = await Rolldown.rolldown({
      input: `${PROBE}.mjs`,
      platform,
      logLevel: 'silent',
    });
    try {
      const { output } = await build.generate({ format: 'esm' });
      expect(output).toHaveLength(1);
      const chunk = output[0];
      const distModules = chunk.moduleIds
        .filter((id) => id.startsWith(DIST))
        .map((id) => id.slice(DIST.length + 1).replace(/-[\w-]{8}\./, '-*.'));
      return { code: chunk.code, imports: chunk.imports, distModules };
    } finally {
      await build.close();
    }
  }

  it.each(['browser', 'neutral'] as const)(
    'platform %s: no node entry, no node: import, and it verifies with Web Crypto',
    async (platform) => {
      const { code, imports, distModules } = await bundle(platform);
      expect(distModules.sort()).toEqual(['index.js', 'src-*.js']);
      expect(imports).toEqual([]);
      const file = resolve(out, `${platform}.mjs`);
      writeFileSync(file, code);
      expect(JSON.parse(await node(file))).toEqual(WEB_CRYPTO);
    },
  );

  it('platform node: the node entry, importing node:crypto', async () => {
    const { imports, distModules } = await bundle('node');
    expect(distModules.sort()).toEqual(['index.node.js', 'src-*.js']);
    expect(imports).toContain('node:crypto');
  });
});
