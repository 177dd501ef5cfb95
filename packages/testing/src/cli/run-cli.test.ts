import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToriiClient, verifyToken } from '@torii/core';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveDevIdentity } from './dev-identity.js';
import { mintDevToken } from './mint-dev-token.js';
import { type CliIo, runCli } from './run-cli.js';

interface Captured {
  io: CliIo;
  out: () => string;
  err: () => string;
  stop: (signal: string) => Promise<void>;
}

const running: Captured[] = [];
function capture(env: Record<string, string> = {}): Captured {
  let out = '';
  let err = '';
  const captured: Captured = {
    io: {
      stdout: (text) => {
        out += text;
      },
      stderr: (text) => {
        err += text;
      },
      env,
      onShutdown: (stop) => {
        captured.stop = stop;
        running.push(captured);
      },
    },
    out: () => out,
    err: () => err,
    stop: async () => {},
  };
  return captured;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop('test end')));
});

interface Summary {
  issuer: string;
  jwksUrl: string;
  apiUrl: string;
  secretKey: string;
  environmentId: string;
  token: string;
  users: Array<{ id: string; email: string | null; status: string }>;
  export: string;
}

async function startJson(args: string[] = [], env: Record<string, string> = {}) {
  const cli = capture(env);
  const code = await runCli(['--issuer-port', '0', '--api-port', '0', '--json', ...args], cli.io);
  expect(code).toBe(0);
  return { cli, summary: JSON.parse(cli.out()) as Summary };
}

describe('torii-dev (runCli)', () => {
  it('starts both servers and prints a token that verifies, and an export line', async () => {
    const { summary } = await startJson();
    const identity = deriveDevIdentity('torii-dev');
    expect(summary).toMatchObject({
      issuer: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      apiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      secretKey: identity.secretKey,
      environmentId: identity.environmentId,
      users: [],
    });
    expect(summary.export).toBe(
      `export TORII_ISSUER=${summary.issuer} TORII_API_URL=${summary.apiUrl} TORII_SECRET_KEY=${summary.secretKey}`,
    );
    const auth = await verifyToken(summary.token, { issuer: summary.issuer });
    expect(auth).toMatchObject({ userId: 'user_test_0001', environmentId: identity.environmentId });

    const torii = new ToriiClient({ secretKey: summary.secretKey, apiUrl: summary.apiUrl });
    const user = await torii.users.create({ email: 'ada@example.com' });
    expect(user.environmentId).toBe(auth.environmentId);
  });

  it('the text summary names every URL, the key and the token', async () => {
    const cli = capture();
    expect(await runCli(['--issuer-port', '0', '--api-port', '0'], cli.io)).toBe(0);
    const out = cli.out();
    expect(out).toMatch(/Issuer +http:\/\/127\.0\.0\.1:\d+\n/);
    expect(out).toMatch(/JWKS +http:\/\/127\.0\.0\.1:\d+\/_torii\/\.well-known\/jwks\.json\n/);
    expect(out).toMatch(/API URL +http:\/\/127\.0\.0\.1:\d+\n/);
    expect(out).toMatch(/Secret key +sk_test_torii_dev_[0-9a-f]{32}\n/);
    expect(out).toMatch(/\neyJ[\w-]+\.[\w-]+\.[\w-]+\n/);
    expect(out).toMatch(
      /\nexport TORII_ISSUER=\S+ TORII_API_URL=\S+ TORII_SECRET_KEY=sk_test_torii_dev_\w+\n/,
    );
  });

  it('mintDevToken (torii-dev token) signs tokens the running server accepts, with no contact', async () => {
    const { summary } = await startJson(['--key-seed', 'team-seed']);
    const token = await mintDevToken({
      issuer: summary.issuer,
      keySeed: 'team-seed',
      claims: { sub: 'user_7', admin: true },
    });
    const auth = await verifyToken(token, { issuer: summary.issuer });
    expect(auth).toMatchObject({
      userId: 'user_7',
      environmentId: deriveDevIdentity('team-seed').environmentId,
    });
    expect(auth.raw.admin).toBe(true);

    // another seed: another key, refused
    const stranger = await mintDevToken({ issuer: summary.issuer, keySeed: 'other' });
    await expect(verifyToken(stranger, { issuer: summary.issuer })).rejects.toMatchObject({
      code: 'key_not_found',
    });
  });

  it('token command prints only the token', async () => {
    const cli = capture();
    expect(
      await runCli(
        ['token', '--issuer-port', '4999', '--sub', 'user_9', '--expires-in', '60'],
        cli.io,
      ),
    ).toBe(0);
    const token = cli.out().trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, number | string>;
    expect(payload).toMatchObject({ iss: 'http://127.0.0.1:4999', sub: 'user_9' });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(60);
  });

  it('token --expired and a negative --expires-in mint tokens the server refuses as expired', async () => {
    const { summary } = await startJson(['--key-seed', 'expiry-seed']);
    const mint = async (...args: string[]) => {
      const cli = capture();
      const code = await runCli(
        ['token', '--issuer', summary.issuer, '--key-seed', 'expiry-seed', ...args],
        cli.io,
      );
      expect(code, cli.err()).toBe(0);
      return cli.out().trim();
    };
    const verify = (token: string) => verifyToken(token, { issuer: summary.issuer });

    for (const args of [['--expired'], ['--expires-in', '-60'], ['--expires-in', '-5m']]) {
      await expect(verify(await mint(...args)), args.join(' ')).rejects.toMatchObject({
        name: 'ToriiAuthError',
        code: 'token_expired',
      });
    }
    // The same server accepts a fresh token of the same key, so the refusal is the expiry alone;
    // a token 10 s past `exp` is still inside the verifier's 30 s clock tolerance (the help says so).
    await expect(verify(await mint('--sub', 'user_fresh'))).resolves.toMatchObject({
      userId: 'user_fresh',
    });
    await expect(verify(await mint('--expires-in', '-10'))).resolves.toBeDefined();
  });

  it('--seed and --seed-file add users and sessions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'torii-dev-'));
    try {
      const file = join(dir, 'seed.json');
      await writeFile(
        file,
        JSON.stringify({
          users: [
            {
              email: 'file@example.com',
              name: 'From File',
              sessions: [{ userAgent: 'curl/8' }, {}],
            },
          ],
        }),
      );
      const { summary } = await startJson(['--seed', '--seed-file', file]);
      expect(summary.users.map((u) => u.email)).toEqual([
        'ada@example.com',
        'grace@example.com',
        'soren@example.dk',
        'mallory@example.com',
        'file@example.com',
      ]);
      expect(summary.users[3]?.status).toBe('banned');
      const torii = new ToriiClient({ secretKey: summary.secretKey, apiUrl: summary.apiUrl });
      const fromFile = summary.users[4]?.id ?? '';
      expect(await torii.sessions.listForUser(fromFile)).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('a broken seed file fails with a message that shows the expected shape', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'torii-dev-'));
    try {
      const file = join(dir, 'seed.json');
      await writeFile(file, JSON.stringify([{ email: 'x@example.com' }]));
      const cli = capture();
      expect(
        await runCli(['--issuer-port', '0', '--api-port', '0', '--seed-file', file], cli.io),
      ).toBe(1);
      expect(cli.err()).toMatch(
        /could not start: seed file .* must be a JSON object like \{"users"/,
      );
      const missing = capture();
      expect(
        await runCli(
          ['--issuer-port', '0', '--api-port', '0', '--seed-file', join(dir, 'nope.json')],
          missing.io,
        ),
      ).toBe(1);
      expect(missing.err()).toMatch(/cannot read seed file/);
      const duplicate = capture();
      await writeFile(
        file,
        JSON.stringify({ users: [{ email: 'a@example.com' }, { email: 'A@example.com' }] }),
      );
      expect(
        await runCli(['--issuer-port', '0', '--api-port', '0', '--seed-file', file], duplicate.io),
      ).toBe(1);
      expect(duplicate.err()).toMatch(/already taken/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('a port in use: exit 1 with a hint', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const cli = capture();
      expect(await runCli(['--issuer-port', '0', '--api-port', String(port)], cli.io)).toBe(1);
      expect(cli.err()).toMatch(/EADDRINUSE[\s\S]*already running\?/);
    } finally {
      blocker.close();
    }
  });

  it('usage errors exit 2 and print the usage; --help exits 0', async () => {
    const bad = capture();
    expect(await runCli(['--host', '0.0.0.0'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/loopback[\s\S]*Usage:/);
    const help = capture();
    expect(await runCli(['--help'], help.io)).toBe(0);
    expect(help.out()).toMatch(/^torii-dev — /);
  });

  it('the shutdown function closes both servers', async () => {
    const { cli, summary } = await startJson();
    const stop = running.pop()?.stop ?? (() => Promise.reject(new Error('no shutdown registered')));
    await stop('SIGTERM');
    expect(cli.err()).toContain('torii-dev: stopped (SIGTERM).');
    await expect(fetch(summary.jwksUrl)).rejects.toThrow();
    await expect(fetch(summary.apiUrl)).rejects.toThrow();
  });
});
