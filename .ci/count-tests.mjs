// Sums the vitest JSON reports every package and example wrote (packages/*, examples/*), prints
// the totals as the last line and exits non-zero when a test failed or a workspace package with a
// test script wrote no report.
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
  const report = join(pkgDir, 'test-results.json');
  if (!existsSync(report)) {
    missing.push(pkg.name);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  if (!r.success && r.numFailedTests === 0) missing.push(`${pkg.name} (suite error)`);
}
if (missing.length) console.log(`no or broken test report: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
