/**
 * A vitest reporter for the runs of `src/run.mjs`: prints the tests passed per suite (project)
 * with the Node version, and fails the run when a suite of `src/suites.mjs` or this package's own
 * check ran no passing test (a moved test folder must not silently shrink the run).
 *
 * @module
 */
import { SUITES } from './suites.mjs';

/** @implements {Pick<import('vitest/node').Reporter, 'onTestRunEnd'>} */
export default class SuiteReport {
  /** @param {ReadonlyArray<import('vitest/node').TestModule>} testModules */
  onTestRunEnd(testModules) {
    /** @type {Map<string, { passed: number, failed: number }>} */
    const counts = new Map();
    for (const testModule of testModules) {
      const entry = counts.get(testModule.project.name) ?? { passed: 0, failed: 0 };
      for (const test of testModule.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed') entry.passed += 1;
        if (state === 'failed') entry.failed += 1;
      }
      counts.set(testModule.project.name, entry);
    }
    const expected = [...SUITES, 'node-versions'];
    const line = expected.map((name) => {
      const entry = counts.get(name);
      return `${name} ${entry?.passed ?? 0}${entry?.failed ? ` (${entry.failed} failed)` : ''}`;
    });
    console.log(`\nNode ${process.version}, tests passed per suite: ${line.join(', ')}`);
    const empty = expected.filter((name) => !counts.get(name)?.passed);
    if (empty.length > 0) {
      console.error(`No passing test from: ${empty.join(', ')}`);
      process.exitCode = 1;
    }
  }
}
