/**
 * `pnpm test` of this package: for each Node major in `MAJORS`, checks the pinned binary's
 * version, starts vitest with that binary (its forked workers inherit `process.execPath`) over the
 * suites of `src/suites.mjs`, and leaves one JSON report per major in `test-results/` for
 * `.ci/count-tests.mjs`. A run that fails, or wrote no report, leaves a report with
 * `success: false`, and the script exits non-zero.
 *
 * @module
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { MAJORS, nodeBuild, packageDir } from './nodes.mjs';

const vitest = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);
const resultsDir = join(packageDir, 'test-results');

/**
 * Runs `<binary> vitest.mjs run` in this package; resolves with the exit code.
 *
 * @param {import('./nodes.mjs').NodeBuild} build
 * @returns {Promise<number>}
 */
function runVitest(build) {
  const env = {
    ...process.env,
    // A test that starts `node` by name gets the same Node.
    PATH: `${dirname(build.binary)}${delimiter}${process.env.PATH ?? ''}`,
    TORII_NODE_BINARY: build.binary,
    TORII_NODE_VERSION: build.version,
  };
  const child = spawn(build.binary, [vitest, 'run'], { cwd: packageDir, env, stdio: 'inherit' });
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * Marks the report of `major` failed (writing an empty one if vitest wrote none), so the count of
 * `.ci/count-tests.mjs` says so too.
 *
 * @param {number} major
 * @param {string} problem
 * @returns {false}
 */
function fail(major, problem) {
  console.error(`Node ${major}: ${problem}`);
  const file = join(resultsDir, `node${major}.json`);
  const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  writeFileSync(
    file,
    JSON.stringify({
      ...report,
      numPassedTests: report.numPassedTests ?? 0,
      numFailedTests: report.numFailedTests ?? 0,
      success: false,
    }),
  );
  return false;
}

/**
 * The suites on one Node major.
 *
 * @param {number} major
 * @returns {Promise<boolean>} whether everything passed
 */
async function runOn(major) {
  let build;
  try {
    build = nodeBuild(major);
  } catch (error) {
    return fail(major, error instanceof Error ? error.message : String(error));
  }
  const reported = execFileSync(build.binary, ['--version'], { encoding: 'utf8' }).trim();
  if (reported !== `v${build.version}`) {
    return fail(major, `${build.binary} says ${reported}; the pin is ${build.version}`);
  }
  console.log(`\n=== vitest on Node ${build.version} (${build.binary})`);
  const started = Date.now();
  const code = await runVitest(build);
  const seconds = Math.round((Date.now() - started) / 1000);
  if (!existsSync(join(resultsDir, `node${major}.json`))) {
    return fail(major, `vitest exited with ${code} and wrote no report`);
  }
  if (code !== 0) return fail(major, `vitest exited with ${code} after ${seconds} s`);
  console.log(`=== Node ${build.version}: passed in ${seconds} s`);
  return true;
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
let ok = true;
for (const major of MAJORS) {
  if (!(await runOn(major))) ok = false;
}
process.exit(ok ? 0 : 1);
