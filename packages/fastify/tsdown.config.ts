import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  clean: true,
  // Fastify's CommonJS idiom: `require('@torii/fastify')` is the plugin itself, and still has
  // `.default`, `.toriiAuth` and `.getAuth` (what the types of `dist/index.d.cts` describe).
  footer: ({ format }) =>
    format === 'cjs'
      ? { js: 'module.exports = Object.assign(module.exports.default, module.exports);' }
      : undefined,
});
