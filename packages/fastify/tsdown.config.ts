import { defineConfig } from 'tsdown';
import { libraryBuild } from '../../config/tsdown.shared.ts';

// Fastify's CommonJS idiom: `require('@torii/fastify')` is the plugin itself, and still has
// `.default`, `.toriiAuth` and `.getAuth`: exactly the exports `dist/index.d.cts` declares
// (test/cjs.test.ts compares them). `fastify-plugin` also hangs a camel-cased alias of the plugin's
// name on the function (`toriiFastify`); that is no export of this package, so every enumerable
// property of the function that is not one of the module's exports is dropped first.
const cjsFooter = `{
  const plugin = module.exports.default;
  for (const key of Object.keys(plugin)) if (!Object.hasOwn(module.exports, key)) delete plugin[key];
  module.exports = Object.assign(plugin, module.exports);
}`;

export default defineConfig({
  ...libraryBuild,
  footer: ({ format }) => (format === 'cjs' ? { js: cjsFooter } : undefined),
});
