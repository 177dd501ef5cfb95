import { Writable } from 'node:stream';
import { closedLoopbackUrl } from '@torii/conformance';
import { ToriiAuthError, ToriiConfigError } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { toriiAuth } from './index.js';

// Operability of @torii/fastify: the startup check in onReady, `fastify.torii.status()` for
// /health, Fastify's own (pino) logger as the default — `request.log` for a request's debug line —
// TORII_ISSUER, and misspelt options.

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

interface PinoRecord {
  level: number;
  msg: string;
  reqId?: string;
}

/** A Fastify app whose logger (Fastify's pino) writes JSON lines to memory. */
function appWithLog(level = 'info'): { app: FastifyInstance; records: () => PinoRecord[] } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  const app = Fastify({ logger: { level, stream } });
  onTestFinished(() => app.close());
  const records = () =>
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as PinoRecord);
  return { app, records };
}

const torii = (records: PinoRecord[]) => records.filter((r) => r.msg?.startsWith('torii:'));

describe('the startup check (onReady) and /health', () => {
  it('fetches the keys before the server is ready; fastify.torii.status() answers /health', async () => {
    const { app } = appWithLog();
    app.register(async (api) => {
      await api.register(toriiAuth, { issuer: issuer.issuer });
      api.get('/health', { config: { torii: false } }, async (_request, reply) => {
        const status = api.torii.status();
        return reply.code(status.ready ? 200 : 503).send(status);
      });
    });
    await app.ready();
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ready: true,
      issuer: issuer.issuer,
      keys: { loaded: true, keyCount: 1 },
    });
  });

  it('against a wrong issuer: one warning through Fastify’s logger, and the app still starts', async () => {
    const { app, records } = appWithLog();
    const wrong = await closedLoopbackUrl();
    await app.register(toriiAuth, { issuer: wrong });
    app.get('/me', async () => ({}));
    await expect(app.ready()).resolves.toBeDefined();
    expect(app.torii.status()).toMatchObject({ ready: false });
    const lines = torii(records());
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(40);
    expect(lines[0]?.msg).toContain(`cannot fetch the issuer's key set from ${wrong}/_torii`);
    // Requests meanwhile: 503, and no further warning.
    const token = await issuer.sign();
    const res = await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(503);
    expect(torii(records())).toHaveLength(1);
  });

  it('without a Fastify logger, the warning goes to the console', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const app = Fastify();
    onTestFinished(() => app.close());
    await app.register(toriiAuth, { issuer: await closedLoopbackUrl() });
    await app.ready();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^torii: cannot fetch the issuer's key set/);
  });

  it("with startup: 'fail', app.ready() rejects: the start fails", async () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    await app.register(toriiAuth, {
      issuer: await closedLoopbackUrl(),
      startup: 'fail',
      logger: false,
    });
    await expect(app.ready()).rejects.toBeInstanceOf(ToriiAuthError);
  });
});

describe('debug logging', () => {
  it('writes each denial to request.log (with the request id) when debug is on', async () => {
    vi.stubEnv('TORII_DEBUG', '1');
    const { app, records } = appWithLog('debug');
    await app.register(toriiAuth, { issuer: issuer.issuer });
    app.get('/me', async () => ({}));
    const expired = await issuer.sign({}, { expired: true });
    const res = await app.inject({ url: '/me', headers: { authorization: `Bearer ${expired}` } });
    expect(res.statusCode).toBe(401);
    const denial = torii(records()).find((r) => r.msg.startsWith('torii: denied'));
    expect(denial).toMatchObject({ level: 20, reqId: expect.any(String) });
    expect(denial?.msg).toMatch(/^torii: denied 401 token_expired: /);
    expect(JSON.stringify(records())).not.toContain(expired.split('.')[1]);
  });
});

describe('configuration', () => {
  it('reads the issuer from TORII_ISSUER when the option is omitted', async () => {
    vi.stubEnv('TORII_ISSUER', issuer.issuer);
    const app = Fastify();
    onTestFinished(() => app.close());
    await app.register(toriiAuth, {});
    await app.ready();
    expect(app.torii.status()).toMatchObject({ ready: true, issuer: issuer.issuer });
  });

  it('refuses a misspelt option by name, and accepts Fastify’s own registration options', async () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    app.register(toriiAuth, { issuer: issuer.issuer, hok: 'preHandler' } as never);
    const error = await app.ready().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ToriiConfigError);
    expect((error as Error).message).toMatch(
      /^torii: toriiAuth got an unknown option "hok"; did you mean "hook"\?/,
    );

    const ok = Fastify();
    onTestFinished(() => ok.close());
    await ok.register(toriiAuth, {
      issuer: issuer.issuer,
      prefix: '/v1',
      logLevel: 'warn',
    } as never);
    await expect(ok.ready()).resolves.toBeDefined();
  });
});
