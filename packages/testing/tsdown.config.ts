import { defineConfig } from 'tsdown';
import { declarations, hooks } from '../../config/tsdown.shared.ts';

// Node-only package (node:http, node:crypto): platform 'node'. `fixedExtension: false` keeps the
// .js/.cjs names package.json points at. The torii-dev bin is a second, ESM-only build (it uses
// top-level await); its `#!/usr/bin/env node` line is kept from src/cli.ts.
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: declarations,
    hooks,
    platform: 'node',
    target: 'es2022',
    sourcemap: true,
    clean: true,
    fixedExtension: false,
  },
  {
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    platform: 'node',
    target: 'es2022',
    sourcemap: true,
    clean: false,
    fixedExtension: false,
  },
]);
