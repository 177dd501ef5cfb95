import { createServer } from 'node:http';
import { closedLoopbackUrl, get, listenOnLoopback } from '@torii/conformance';
import { ToriiAuthError, ToriiConfigError, type ToriiLogger } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { optionalAuth, requireAuth } from './index.js';

// Operability of @torii/express: the startup check (`await auth.ready()`), `auth.status()` for
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

/** A logger that keeps its lines. */
function memoryLogger(): ToriiLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return {
    lines,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
  };
}

describe('the startup check and /health', () => {
  it('ready() fetches the keys; status() answers /health', async () => {
    const auth = requireAuth({ issuer: issuer.issuer });
    expect(auth.status().ready).toBe(false);
    await expect(auth.ready()).resolves.toMatchObject({ ready: true, issuer: issuer.issuer });

    const app = express();
    app.get('/health', (_req, res) => {
      const status = auth.status();
      res.status(status.ready ? 200 : 503).json(status);
    });
    app.get('/me', auth, (req, res) => {
      res.json({ userId: req.auth?.userId });
    });
    const server = await listenOnLoopback(createServer(app));
    onTestFinished(() => server.close());
    const health = await get(server.url, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ready: true, keys: { loaded: true, keyCount: 1 } });
  });

  it('against a wrong issuer: one clear warning on the console, and the app still starts', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const wrong = await closedLoopbackUrl();
    const auth = optionalAuth({ issuer: wrong });
    const status = await auth.ready();
    expect(status.ready).toBe(false);
    expect(status.keys.lastError?.message).toContain(`${wrong}/_torii/.well-known/jwks.json`);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /^torii: cannot fetch the issuer's key set from http:\/\/127\.0\.0\.1:\d+\/_torii\/\.well-known\/jwks\.json \(trigger: startup\)/,
    );
  });

  it("with startup: 'fail', ready() rejects and so fails the start", async () => {
    const auth = requireAuth({ issuer: await closedLoopbackUrl(), startup: 'fail', logger: false });
    await expect(auth.ready()).rejects.toBeInstanceOf(ToriiAuthError);
  });
});

describe('logging', () => {
  it('logs each denial at debug level with TORII_DEBUG, to the given logger', async () => {
    vi.stubEnv('TORII_DEBUG', '1');
    const logger = memoryLogger();
    const app = express();
    app.get('/me', requireAuth({ issuer: issuer.issuer, logger }), (_req, res) => {
      res.json({});
    });
    const server = await listenOnLoopback(createServer(app));
    onTestFinished(() => server.close());
    const expired = await issuer.sign({}, { expired: true });
    expect((await get(server.url, '/me', { authorization: `Bearer ${expired}` })).status).toBe(401);
    expect(logger.lines.filter((l) => l.includes('denied'))).toEqual([
      expect.stringMatching(/^debug torii: denied 401 token_expired: /),
    ]);
    expect(logger.lines.join('\n')).not.toContain(expired.split('.')[1]);
  });
});

describe('configuration', () => {
  it('reads the issuer from TORII_ISSUER when the option is omitted', () => {
    vi.stubEnv('TORII_ISSUER', issuer.issuer);
    expect(requireAuth().status().issuer).toBe(issuer.issuer);
    vi.stubEnv('TORII_ISSUER', '');
    expect(() => requireAuth()).toThrow(/issuer option is required.*TORII_ISSUER/);
  });

  it('refuses a misspelt option, naming the middleware and the option meant', () => {
    const error = (() => {
      try {
        requireAuth({ issuer: issuer.issuer, onDenid: () => undefined } as never);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ToriiConfigError);
    expect((error as Error).message).toMatch(
      /^torii: requireAuth\(\) got an unknown option "onDenid"; did you mean "onDenied"\?/,
    );
    expect(() => optionalAuth({ issuer: issuer.issuer, audiance: 'x' } as never)).toThrow(
      /optionalAuth\(\) got an unknown option "audiance"; did you mean "audience"\?/,
    );
  });
});
