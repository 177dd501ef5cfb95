import { defineConfig } from 'tsdown';
import { libraryBuild } from '../../config/tsdown.shared.ts';

export default defineConfig({
  ...libraryBuild,
  // Fastify's CommonJS idiom: `require('@torii/fastify')` is the plugin itself, and still has
  // `.default`, `.toriiAuth` and `.getAuth` (what the types of `dist/index.d.cts` describe).
  footer: ({ format }) =>
    format === 'cjs'
      ? { js: 'module.exports = Object.assign(module.exports.default, module.exports);' }
      : undefined,
});
