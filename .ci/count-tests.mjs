// Sums the vitest JSON reports every package and example wrote (packages/*, examples/*): each
// one's test-results.json and any test-results/*.json (packages/node-versions writes one per extra
// Node version). Prints the totals as the last line and exits non-zero when a test failed, a
// report says the run failed without a failed test, or a workspace package with a test script
// wrote no report.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
const missing = [];
const pkgDirs = ['packages', 'examples'].flatMap((root) =>
  readdirSync(root).map((dir) => join(root, dir)),
);
for (const pkgDir of pkgDirs) {
  const manifest = join(pkgDir, 'package.json');
  if (!existsSync(manifest)) continue;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  if (!pkg.scripts?.test) continue;
  const reportsDir = join(pkgDir, 'test-results');
  const reports = [
    join(pkgDir, 'test-results.json'),
    ...(existsSync(reportsDir)
      ? readdirSync(reportsDir)
          .filter((name) => name.endsWith('.json'))
          .map((name) => join(reportsDir, name))
      : []),
  ].filter((report) => existsSync(report));
  if (reports.length === 0) {
    missing.push(pkg.name);
    continue;
  }
  for (const report of reports) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    if (!r.success && r.numFailedTests === 0) missing.push(`${report} (suite error)`);
  }
}
if (missing.length) console.log(`no or broken test report: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
