import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import shared from '../../config/vitest.shared.ts';

export default mergeConfig(shared, {
  // The README examples import '@torii/testing' as users do; point that at the sources.
  resolve: {
    alias: { '@torii/testing': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
});
