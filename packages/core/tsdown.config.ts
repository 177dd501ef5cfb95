import { defineConfig } from 'tsdown';
import { declarations, hooks } from '../../config/tsdown.shared.ts';

export default defineConfig({
  // Two entries in one build per format, so code they share lands in shared chunks and the ES256
  // backend slot is one module instance per format. `index.node` (the `node` export condition)
  // installs the node:crypto backend; `index` (every other runtime) never reaches it.
  entry: ['src/index.ts', 'src/index.node.ts'],
  format: ['esm', 'cjs'],
  dts: declarations,
  hooks,
  platform: 'neutral',
  // Only modules reached from `index.node` (`src/jwt/es256.node.ts`,
  // `src/shared/tick-object.node.ts`) import Node built-ins.
  deps: { neverBundle: [/^node:/] },
  target: 'es2022',
  sourcemap: true,
  clean: true,
});
