import { createServer } from 'node:http';
import { closedLoopbackUrl, get, listenOnLoopback } from '@torii/conformance';
import { ToriiAuthError, ToriiConfigError, type ToriiLogger } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import Koa from 'koa';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { optionalAuth, requireAuth } from './index.js';

// Operability of @torii/koa: the startup check (`await auth.ready()`), `auth.status()` for
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

    const app = new Koa();
    app.use(async (ctx, next) => {
      if (ctx.path !== '/health') return next();
      const status = auth.status();
      ctx.status = status.ready ? 200 : 503;
      ctx.body = status;
    });
    app.use(auth);
    const server = await listenOnLoopback(createServer(app.callback()));
    onTestFinished(() => server.close());
    const health = await get(server.url, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ready: true, keys: { loaded: true, keyCount: 1 } });
  });

  it('against a wrong issuer: one clear warning on the console, and the app still starts', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const auth = optionalAuth({ issuer: await closedLoopbackUrl() });
    await expect(auth.ready()).resolves.toMatchObject({ ready: false });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /^torii: cannot fetch the issuer's key set from .* \(trigger: startup\)/,
    );
  });

  it("with startup: 'fail', ready() rejects and so fails the start", async () => {
    const auth = requireAuth({ issuer: await closedLoopbackUrl(), startup: 'fail', logger: false });
    await expect(auth.ready()).rejects.toBeInstanceOf(ToriiAuthError);
  });
});

describe('logging and configuration', () => {
  it('logs each denial at debug level with debug: true, to the given logger', async () => {
    const lines: string[] = [];
    const logger: ToriiLogger = {
      debug: (m) => lines.push(m),
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    const app = new Koa();
    app.use(requireAuth({ issuer: issuer.issuer, logger, debug: true }));
    const server = await listenOnLoopback(createServer(app.callback()));
    onTestFinished(() => server.close());
    expect((await get(server.url, '/')).status).toBe(401);
    expect(lines).toEqual([expect.stringMatching(/^torii: denied 401 token_missing: /)]);
  });

  it('reads the issuer from TORII_ISSUER, and refuses a misspelt option by name', () => {
    vi.stubEnv('TORII_ISSUER', issuer.issuer);
    expect(requireAuth().status().issuer).toBe(issuer.issuer);
    const error = (() => {
      try {
        requireAuth({ onDenid: () => undefined } as never);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ToriiConfigError);
    expect((error as Error).message).toMatch(
      /^torii: requireAuth\(\) got an unknown option "onDenid"; did you mean "onDenied"\?/,
    );
  });
});
