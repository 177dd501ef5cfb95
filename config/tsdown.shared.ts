import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UserConfig } from 'tsdown';

/**
 * Declarations without declaration maps: a `.d.ts.map` would point at `src/`, which the tarballs do
 * not ship, so "go to definition" would lead nowhere. (The `.js` maps embed their sources.)
 */
export const declarations = { sourcemap: false } as const;

/**
 * With `sourcemap: true` (for the `.js` maps), tsdown still ends every `.d.ts` / `.d.cts` with a
 * `//# sourceMappingURL=….d.ts.map` comment although it writes no such map. This `build:done`
 * hook drops that comment, so no file in a tarball points at one that is not there.
 */
export const hooks = {
  async 'build:done'({ chunks }: { chunks: ReadonlyArray<{ fileName: string; outDir: string }> }) {
    for (const { fileName, outDir } of chunks) {
      if (!/\.d\.[cm]?ts$/.test(fileName)) continue;
      const path = join(outDir, fileName);
      const code = await readFile(path, 'utf8');
      const stripped = code.replace(/\n*\/\/# sourceMappingURL=\S+\s*$/, '\n');
      if (stripped !== code) await writeFile(path, stripped);
    }
  },
};

/**
 * The build every published package shares: `src/index.ts` to ESM + CJS + `.d.ts`, runtime-neutral
 * (a package that needs Node built-ins says `platform: 'node'` itself).
 */
export const libraryBuild = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: declarations,
  hooks,
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  clean: true,
} satisfies UserConfig;
