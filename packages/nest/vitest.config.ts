import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../config/vitest.shared.ts';

/** The shared setup, on the Nest 11 installed here (`packages/nest-12` runs these tests on Nest 12). */
export default mergeConfig(
  shared,
  defineConfig({
    test: { provide: { nestMajor: 11, nestRoot: fileURLToPath(new URL('.', import.meta.url)) } },
  }),
);
