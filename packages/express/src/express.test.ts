import { createServer } from 'node:http';
import { get, listenOnLoopback, uncalledFactoryMessage } from '@torii/conformance';
import {
  type AuthDenied,
  NO_SIGNED_IN_USER_MESSAGE,
  NO_TORII_AUTH_MESSAGE,
  ToriiAuthError,
  ToriiConfigError,
  ToriiError,
} from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { getAuth, optionalAuth, requireAuth, type ToriiExpressOptions } from './index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

/**
 * Serves `app` on loopback until the running test ends, with an error handler that answers 500
 * `{ error: name, message }`.
 */
async function serve(app: Express): Promise<string> {
  const onError: ErrorRequestHandler = (err: Error, _req, res, _next) => {
    res.status(500).json({ error: err.name, message: err.message, code: Reflect.get(err, 'code') });
  };
  app.use(onError);
  const server = await listenOnLoopback(createServer(app));
  onTestFinished(() => server.close());
  return server.url;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('getAuth', () => {
  it('throws a ToriiError that names the fix when no torii middleware ran', async () => {
    const app = express();
    app.get('/unguarded', (req, res) => {
      res.json(getAuth(req));
    });
    const res = await get(await serve(app), '/unguarded', bearer(await issuer.sign()));
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ error: 'ToriiError', message: NO_TORII_AUTH_MESSAGE });
  });

  it('throws on an optionalAuth route without a user, unless { optional: true }', async () => {
    const app = express();
    app.get('/strict', optionalAuth({ issuer: issuer.issuer }), (req, res) => {
      res.json(getAuth(req));
    });
    app.get('/lenient', optionalAuth({ issuer: issuer.issuer }), (req, res) => {
      res.json({ auth: getAuth(req, { optional: true }) });
    });
    const url = await serve(app);
    const strict = await get(url, '/strict');
    expect(strict.status).toBe(500);
    expect(strict.body).toMatchObject({ error: 'ToriiError', message: NO_SIGNED_IN_USER_MESSAGE });
    expect((await get(url, '/lenient')).body).toStrictEqual({ auth: null });
  });

  it('returns the frozen auth with every ToriiAuth field', async () => {
    const app = express();
    app.get('/me', requireAuth({ issuer: issuer.issuer }), (req, res) => {
      const auth = getAuth(req);
      res.json({ frozen: Object.isFrozen(auth), same: auth === req.auth, auth });
    });
    const token = await issuer.sign({ sub: 'user_42', locale: 'da', impersonating: true });
    const res = await get(await serve(app), '/me', bearer(token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      frozen: true,
      same: true,
      auth: {
        userId: 'user_42',
        environmentId: issuer.environmentId,
        issuer: issuer.issuer,
        locale: 'da',
        impersonating: true,
      },
    });
  });
});

describe('errors thrown by user callbacks go to next(err)', () => {
  /** Serves one route behind `requireAuth({ issuer, ...callbacks })` and GETs it. */
  async function getGuarded(
    callbacks: Omit<ToriiExpressOptions, 'issuer'>,
    headers: Record<string, string> = {},
  ) {
    const app = express();
    app.get('/guarded', requireAuth({ issuer: issuer.issuer, ...callbacks }), (_req, res) => {
      res.json({ reached: true });
    });
    return get(await serve(app), '/guarded', headers);
  }

  it('authorize throwing reaches the Express error handler', async () => {
    const authorize = () => {
      throw new Error('policy store is down');
    };
    const res = await getGuarded({ authorize }, bearer(await issuer.sign()));
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ error: 'Error', message: 'policy store is down' });
  });

  it('getToken rejecting reaches the Express error handler', async () => {
    const getToken = async () => Promise.reject(new Error('session store is down'));
    const res = await getGuarded({ getToken });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ message: 'session store is down' });
  });

  it('onDenied throwing reaches the Express error handler', async () => {
    const onDenied = () => {
      throw new Error('hook failed');
    };
    const res = await getGuarded({ onDenied });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ message: 'hook failed' });
  });
});

describe('onDenied', () => {
  it('receives the decision, the error code, and the Express req and res', async () => {
    const seen: Array<{ denied: AuthDenied; path: string; isExpressRes: boolean }> = [];
    const app = express();
    app.get(
      '/x',
      requireAuth({
        issuer: issuer.issuer,
        onDenied: (denied, req, res) => {
          seen.push({ denied, path: req.path, isExpressRes: typeof res.json === 'function' });
          res.status(denied.status).set(denied.headers).json({ custom: denied.body.error.code });
        },
      }),
      (_req, res) => {
        res.json({ reached: true });
      },
    );
    const res = await get(await serve(app), '/x', bearer(await issuer.sign({}, { expired: true })));
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual({ custom: 'authentication_failed' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.path).toBe('/x');
    expect(seen[0]?.isExpressRes).toBe(true);
    expect(seen[0]?.denied.error).toBeInstanceOf(ToriiAuthError);
    expect(seen[0]?.denied.error?.code).toBe('token_expired');
  });

  it('may call next() to let the request go on with req.auth === null', async () => {
    const app = express();
    app.get(
      '/soft',
      requireAuth({ issuer: issuer.issuer, onDenied: (_denied, _req, _res, next) => next() }),
      (req, res) => {
        res.json({ auth: req.auth });
      },
    );
    const res = await get(await serve(app), '/soft', bearer('garbage'));
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ auth: null });
  });
});

describe('mounting', () => {
  it('app.use(path, requireAuth()) protects only that path', async () => {
    const app = express();
    app.use('/api', requireAuth({ issuer: issuer.issuer }));
    app.get('/api/me', (req, res) => {
      res.json({ userId: getAuth(req).userId });
    });
    app.get('/health', (req, res) => {
      res.json({ ok: true, auth: req.auth ?? 'untouched' });
    });
    const url = await serve(app);
    expect((await get(url, '/api/me')).status).toBe(401);
    const me = await get(url, '/api/me', bearer(await issuer.sign({ sub: 'user_7' })));
    expect(me.body).toStrictEqual({ userId: 'user_7' });
    expect((await get(url, '/health')).body).toStrictEqual({ ok: true, auth: 'untouched' });
  });

  it('reads a custom header when `header` is set', async () => {
    const app = express();
    app.get('/h', requireAuth({ issuer: issuer.issuer, header: 'x-torii-auth' }), (req, res) => {
      res.json({ userId: getAuth(req).userId });
    });
    const url = await serve(app);
    const token = await issuer.sign({ sub: 'user_h' });
    expect((await get(url, '/h', { 'x-torii-auth': `Bearer ${token}` })).body).toStrictEqual({
      userId: 'user_h',
    });
    expect((await get(url, '/h', bearer(token))).status).toBe(401);
  });
});

describe('options are validated when the middleware is created', () => {
  it('an http issuer that is not loopback throws ToriiConfigError at once', () => {
    expect(() => requireAuth({ issuer: 'http://acme.example.com' })).toThrow(ToriiConfigError);
    expect(() => optionalAuth({ issuer: 'not a url' })).toThrow(ToriiConfigError);
  });

  it('ToriiConfigError is a ToriiError', () => {
    expect(() => requireAuth({ issuer: '' })).toThrow(ToriiError);
  });

  it.each([
    ['requireAuth', requireAuth],
    ['optionalAuth', optionalAuth],
  ])(
    'app.use(%s) without calling it answers 500 with a ToriiConfigError that says to call it',
    async (name, factory) => {
      const app = express();
      app.use(factory as never);
      app.get('/', (_req, res) => {
        res.json({ reached: true });
      });
      const res = await get(await serve(app), '/', bearer(await issuer.sign()));
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({
        error: 'ToriiConfigError',
        message: uncalledFactoryMessage(name),
      });
    },
  );
});
