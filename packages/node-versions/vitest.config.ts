/**
 * One vitest run over the suites in `src/suites.mjs`, each package as a project with its own
 * config and root, plus this package's check of the Node it runs on. `src/run.mjs` starts it with
 * each extra Node binary; the JSON report, named after the Node major that ran it, is what
 * `.ci/count-tests.mjs` adds up.
 */
import { defineConfig } from 'vitest/config';
import SuiteReport from './src/suite-report.mjs';
import { SUITES } from './src/suites.mjs';

const major = process.versions.node.split('.')[0];

export default defineConfig({
  test: {
    projects: [
      ...SUITES.map((dir) => ({
        extends: `../${dir}/vitest.config.ts`,
        root: `../${dir}`,
        // Type tests do not depend on the runtime: the package's own run checks them.
        test: { name: dir, typecheck: { enabled: false } },
      })),
      { test: { name: 'node-versions', include: ['test/**/*.test.ts'] } },
    ],
    reporters: [
      'default',
      ['json', { outputFile: `test-results/node${major}.json` }],
      new SuiteReport(),
    ],
  },
});
