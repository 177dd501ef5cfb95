import { closedLoopbackUrl } from '@torii/conformance';
import { ToriiAuthError, ToriiConfigError, type ToriiLogger } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { optionalAuth, requireAuth, type ToriiVariables } from './index.js';

// Operability of @torii/hono: the startup check (`await auth.ready()`), `auth.status(c?)` for
// /health, the logger (console by default), TORII_ISSUER, and misspelt options.

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

describe('the startup check and /health', () => {
  it('ready() fetches the keys; status() answers /health', async () => {
    const auth = requireAuth({ issuer: issuer.issuer });
    expect(auth.status().ready).toBe(false);
    await expect(auth.ready()).resolves.toMatchObject({ ready: true, issuer: issuer.issuer });
    const app = new Hono<{ Variables: ToriiVariables }>();
    app.get('/health', (c) => {
      const status = auth.status();
      return c.json(status, status.ready ? 200 : 503);
    });
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, keys: { keyCount: 1 } });
  });

  it('with a function issuer (Workers), status(c) and ready(c) are those of the context', async () => {
    const auth = requireAuth({ issuer: (c) => c.req.header('x-issuer') ?? '' });
    expect(() => auth.status()).toThrow(ToriiConfigError);
    expect(() => auth.status()).toThrow(/pass the context to status\(c\) and ready\(c\)/);
    const app = new Hono();
    app.get('/health', async (c) => c.json(await auth.ready(c)));
    const res = await app.request('/health', { headers: { 'x-issuer': issuer.issuer } });
    expect(await res.json()).toMatchObject({ ready: true, issuer: issuer.issuer });
  });

  it('against a wrong issuer: one clear warning on the console, and the app still starts', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const auth = optionalAuth({ issuer: await closedLoopbackUrl() });
    await expect(auth.ready()).resolves.toMatchObject({ ready: false });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^torii: cannot fetch the issuer's key set/);
  });

  it("with startup: 'fail', ready() rejects", async () => {
    const auth = requireAuth({ issuer: await closedLoopbackUrl(), startup: 'fail', logger: false });
    await expect(auth.ready()).rejects.toBeInstanceOf(ToriiAuthError);
  });
});

describe('logging and configuration', () => {
  it('logs each denial at debug level with debug: true', async () => {
    const lines: string[] = [];
    const logger: ToriiLogger = {
      debug: (m) => lines.push(m),
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    const app = new Hono();
    app.use(requireAuth({ issuer: issuer.issuer, logger, debug: true }));
    app.get('/', (c) => c.text('ok'));
    expect((await app.request('/')).status).toBe(401);
    expect(lines).toEqual([expect.stringMatching(/^torii: denied 401 token_missing: /)]);
  });

  it('reads the issuer from TORII_ISSUER, and refuses a misspelt option by name', () => {
    vi.stubEnv('TORII_ISSUER', issuer.issuer);
    expect(requireAuth().status().issuer).toBe(issuer.issuer);
    expect(() => requireAuth({ onDenid: () => undefined } as never)).toThrow(
      /^torii: requireAuth\(\) got an unknown option "onDenid"; did you mean "onDenied"\?/,
    );
  });
});
