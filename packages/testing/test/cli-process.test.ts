// The built `torii-dev` bin as a real process: it starts, serves, mints tokens from a second
// process that the first accepts, and shuts down cleanly on SIGTERM and SIGINT.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyToken } from '@torii/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, DEFAULT_TEST_USER_ID } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const builtCli = join(packageDir, 'dist', 'cli.js');
let cliPath = builtCli;

/** Newest modification time under `dir`. */
function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
    }),
  );
}

let scratch: string | undefined;
beforeAll(async () => {
  // CI builds first, so this tests the real dist/cli.js. When dist is missing or older than the
  // sources (local runs of `turbo run test`), build the bin into a scratch directory instead:
  // rebuilding dist/ here would pull it from under other packages' tests that import it.
  if (existsSync(builtCli) && statSync(builtCli).mtimeMs >= newest(join(packageDir, 'src'))) return;
  scratch = await mkdtemp(join(tmpdir(), 'torii-dev-bin-'));
  execFileSync(
    join(packageDir, 'node_modules', '.bin', 'tsdown'),
    ['src/cli.ts', '--no-config', '--format', 'esm', '--platform', 'node', '--out-dir', scratch],
    { cwd: packageDir, stdio: 'pipe' },
  );
  const [built] = readdirSync(scratch).filter((name) => /^cli\.m?js$/.test(name));
  if (built === undefined) throw new Error(`tsdown wrote no cli.js to ${scratch}`);
  cliPath = join(scratch, built);
  chmodSync(cliPath, 0o755);
}, 60_000);

afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  summary: { issuer: string; jwksUrl: string; apiUrl: string; secretKey: string; token: string };
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[]): Promise<Started> {
  const child = spawn(
    process.execPath,
    [cliPath, '--issuer-port', '0', '--api-port', '0', '--json', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close', not 'exit': stderr is read to its end before the test looks at it.
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline !== -1)
        resolve({
          child,
          summary: JSON.parse(stdout.slice(0, newline)),
          stderr: () => stderr,
          exited,
        });
    });
    void exited.then(({ code }) =>
      reject(new Error(`torii-dev exited early (${code}): ${stderr}`)),
    );
  });
}

function runToken(args: string[]): string {
  return execFileSync(process.execPath, [cliPath, 'token', ...args], { encoding: 'utf8' }).trim();
}

describe('torii-dev process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'serves, accepts tokens of `torii-dev token`, and stops on %s',
    async (signal) => {
      const dev = await start(['--key-seed', `process-${signal}`]);
      try {
        const jwks = await fetch(dev.summary.jwksUrl);
        expect(jwks.status).toBe(200);
        const api = await fetch(`${dev.summary.apiUrl}/api/server/v1/users/search`, {
          method: 'POST',
          headers: { authorization: `Bearer ${dev.summary.secretKey}` },
        });
        expect(api.status).toBe(200);
        await expect(
          verifyToken(dev.summary.token, { issuer: dev.summary.issuer }),
        ).resolves.toMatchObject({ issuer: dev.summary.issuer, userId: DEFAULT_TEST_USER_ID });

        const minted = runToken([
          '--issuer',
          dev.summary.issuer,
          '--key-seed',
          `process-${signal}`,
          '--sub',
          'user_cli',
        ]);
        const auth = await verifyToken(minted, { issuer: dev.summary.issuer });
        expect(auth.userId).toBe('user_cli');
      } finally {
        dev.child.kill(signal);
      }
      expect(await dev.exited).toEqual({ code: 0, signal: null });
      expect(dev.stderr()).toContain(`torii-dev: stopped (${signal}).`);
      await expect(fetch(dev.summary.jwksUrl)).rejects.toThrow();
      await expect(fetch(dev.summary.apiUrl)).rejects.toThrow();
    },
  );

  it('`torii-dev token --expires-in -60` and `--expired` (real argv) mint expired tokens', async () => {
    const issuer = 'http://127.0.0.1:4999';
    const jwks = await createTestIssuer({ listen: false, issuer, seed: 'process-expiry' });
    for (const args of [['--expires-in', '-60'], ['--expired']]) {
      const token = runToken(['--issuer', issuer, '--key-seed', 'process-expiry', ...args]);
      await expect(
        verifyToken(token, { issuer, jwks: jwks.jwks() }),
        args.join(' '),
      ).rejects.toMatchObject({ code: 'token_expired' });
    }
  });

  it('the bin runs by itself (shebang, executable)', () => {
    const help = execFileSync(cliPath, ['--help'], { encoding: 'utf8' });
    expect(help).toMatch(/^torii-dev — /);
  });

  it('exits 2 on a usage error', () => {
    let status: number | null = null;
    try {
      execFileSync(process.execPath, [cliPath, '--host', '0.0.0.0'], { stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number | null }).status;
    }
    expect(status).toBe(2);
  });
});
