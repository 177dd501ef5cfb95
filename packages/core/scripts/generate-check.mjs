#!/usr/bin/env node
// Regenerates the REST types from spec/server-v1.json into a temporary file and compares them
// byte for byte with src/generated/server-v1.ts. Exits 1 on drift, naming the first differing
// line and the command that fixes it. Run by `pnpm --filter @torii/core generate:check` in CI.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spec = resolve(packageDir, '../../spec/server-v1.json');
const committed = resolve(packageDir, 'src/generated/server-v1.ts');
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');

const tempDir = mkdtempSync(join(tmpdir(), 'torii-generate-check-'));
try {
  const fresh = join(tempDir, 'server-v1.ts');
  execFileSync(process.execPath, [cli, spec, '-o', fresh], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const expected = readFileSync(fresh, 'utf8');
  if (!existsSync(committed)) {
    console.error(
      `generate:check: ${committed} is missing. Run \`pnpm --filter @torii/core generate\`.`,
    );
    process.exit(1);
  }
  const actual = readFileSync(committed, 'utf8');
  if (actual === expected) {
    console.log('generate:check: src/generated/server-v1.ts matches spec/server-v1.json');
    process.exit(0);
  }
  const a = actual.split('\n');
  const e = expected.split('\n');
  let line = 0;
  while (line < Math.max(a.length, e.length) && a[line] === e[line]) line++;
  console.error(
    `generate:check: src/generated/server-v1.ts is out of date with spec/server-v1.json (first difference at line ${line + 1}).`,
  );
  console.error(`  committed: ${JSON.stringify(a[line] ?? '<end of file>')}`);
  console.error(`  generated: ${JSON.stringify(e[line] ?? '<end of file>')}`);
  console.error(
    'Run `pnpm --filter @torii/core generate` and commit the result; never edit it by hand.',
  );
  process.exit(1);
} finally {
  rmSync(tempDir, { recursive: true, force: true });
}
