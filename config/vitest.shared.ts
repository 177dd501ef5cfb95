import { defineConfig } from 'vitest/config';

/**
 * The test setup every package shares: tests next to the code and in `test/`, type tests in
 * `*.test-d.ts`, and a JSON report (`test-results.json`) that `.ci/count-tests.mjs` adds up.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 20_000,
  },
});
