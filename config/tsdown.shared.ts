import type { UserConfig } from 'tsdown';

/**
 * The build every published package shares: `src/index.ts` to ESM + CJS + `.d.ts`, runtime-neutral
 * (a package that needs Node built-ins says `platform: 'node'` itself).
 */
export const libraryBuild = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  clean: true,
} satisfies UserConfig;
