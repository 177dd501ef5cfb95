import { uncalledFactoryMessage } from '@torii/conformance';
import { type AuthDenied, ToriiAuthError, ToriiConfigError } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceApp } from '../test/conformance-app.js';
import { optionalAuth, requireAuth } from './index.js';

let issuer: TestIssuer;
let other: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer();
  other = await createTestIssuer({ environmentId: 'env_other' });
});
afterAll(async () => {
  await issuer.close();
  await other.close();
});

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('in-process via app.request (no server)', () => {
  it('no token: 401, exact body, WWW-Authenticate "Bearer", JSON', async () => {
    const res = await conformanceApp({ issuer: issuer.issuer }).request('/protected');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.json();
    expect(body).toStrictEqual({
      error: { code: 'authentication_failed', message: expect.any(String) },
    });
  });

  it('a valid token: 200 with the user', async () => {
    const app = conformanceApp({ issuer: issuer.issuer });
    const res = await app.request('/protected', bearer(await issuer.sign({ sub: 'user_hono' })));
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({
      userId: 'user_hono',
      environmentId: issuer.environmentId,
    });
  });

  it('a static key set (no network at all, as on Workers)', async () => {
    const app = conformanceApp({ issuer: issuer.issuer, jwks: issuer.jwks() });
    const before = issuer.requestCount;
    const ok = await app.request('/optional', bearer(await issuer.sign({ sub: 'user_static' })));
    expect(await ok.json()).toStrictEqual({
      auth: { userId: 'user_static', environmentId: issuer.environmentId },
    });
    const bad = await app.request('/optional', bearer(await issuer.sign({}, { tampered: true })));
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(issuer.requestCount).toBe(before);
  });

  it('authorize false: 403 forbidden', async () => {
    const app = conformanceApp({ issuer: issuer.issuer });
    const res = await app.request('/admin', bearer(await issuer.sign({ role: 'viewer' })));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('the hook replaces the answer', async () => {
    const res = await conformanceApp({ issuer: issuer.issuer }).request('/hooked');
    expect(res.status).toBe(418);
    expect(await res.json()).toStrictEqual({ replaced: true, status: 401 });
  });
});

describe('onDenied', () => {
  it('receives the decision and the context; returning nothing keeps torii’s answer', async () => {
    const seen: Array<{ denied: AuthDenied; path: string }> = [];
    const app = new Hono();
    app.use(
      requireAuth({
        issuer: issuer.issuer,
        onDenied: (denied, c) => {
          seen.push({ denied, path: c.req.path });
        },
      }),
    );
    app.get('/x', (c) => c.text('secret'));
    const res = await app.request('/x', bearer(await issuer.sign({}, { expired: true })));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(seen[0]?.path).toBe('/x');
    expect(seen[0]?.denied.error).toBeInstanceOf(ToriiAuthError);
    expect(seen[0]?.denied.error?.code).toBe('token_expired');
  });

  it('can redirect instead', async () => {
    const app = new Hono();
    app.use(requireAuth({ issuer: issuer.issuer, onDenied: (_d, c) => c.redirect('/login') }));
    app.get('/x', (c) => c.text('secret'));
    const res = await app.request('/x');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login');
  });
});

describe('errors', () => {
  it('authorize throwing goes to app.onError', async () => {
    const app = new Hono();
    const caught: unknown[] = [];
    app.onError((err, c) => {
      caught.push(err);
      return c.json({ caught: err.message }, 500);
    });
    const authorize = () => {
      throw new Error('policy store is down');
    };
    app.get('/x', requireAuth({ issuer: issuer.issuer, authorize }), (c) => c.text('secret'));
    const res = await app.request('/x', bearer(await issuer.sign()));
    expect(res.status).toBe(500);
    expect(await res.json()).toStrictEqual({ caught: 'policy store is down' });
    expect(caught).toHaveLength(1);
  });

  it('a bad string issuer throws ToriiConfigError when the middleware is created', () => {
    expect(() => requireAuth({ issuer: 'http://acme.example.com' })).toThrow(ToriiConfigError);
    expect(() => optionalAuth({ issuer: '' })).toThrow(ToriiConfigError);
  });

  it.each([
    ['requireAuth', requireAuth],
    ['optionalAuth', optionalAuth],
  ])(
    "app.use('*', %s) without calling it throws a ToriiConfigError that says to call it",
    async (name, factory) => {
      const caught: unknown[] = [];
      const app = new Hono();
      app.use('*', factory as never);
      app.get('/', (c) => c.json({ reached: true }));
      app.onError((err, c) => {
        caught.push(err);
        return c.json({ name: err.name }, 500);
      });
      const res = await app.request('/', bearer(await issuer.sign()));
      expect(res.status).toBe(500);
      expect(caught).toHaveLength(1);
      expect(caught[0]).toBeInstanceOf(ToriiConfigError);
      expect((caught[0] as Error).message).toBe(uncalledFactoryMessage(name));
    },
  );
});

describe('issuer as a function of the context (Workers env)', () => {
  type Env = { Bindings: { TORII_ISSUER: string } };

  function workerApp(): Hono<Env> {
    const api = new Hono<Env>().use(requireAuth({ issuer: (c) => c.env.TORII_ISSUER }));
    api.get('/me', (c) =>
      c.json({ userId: c.get('auth').userId, env: c.get('auth').environmentId }),
    );
    const app = new Hono<Env>().route('/api', api);
    app.onError((err, c) => c.json({ name: err.name }, 500));
    return app;
  }

  it('verifies against the issuer of each request’s env', async () => {
    const app = workerApp();
    const a = await app.request('/api/me', bearer(await issuer.sign({ sub: 'user_a' })), {
      TORII_ISSUER: issuer.issuer,
    });
    expect(await a.json()).toStrictEqual({ userId: 'user_a', env: issuer.environmentId });
    const b = await app.request('/api/me', bearer(await other.sign({ sub: 'user_b' })), {
      TORII_ISSUER: other.issuer,
    });
    expect(await b.json()).toStrictEqual({ userId: 'user_b', env: 'env_other' });
  });

  it('a token from one issuer is refused under the other issuer’s env', async () => {
    const res = await workerApp().request('/api/me', bearer(await other.sign()), {
      TORII_ISSUER: issuer.issuer,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('a bad issuer from the env is a ToriiConfigError on the request', async () => {
    const res = await workerApp().request('/api/me', bearer(await issuer.sign()), {
      TORII_ISSUER: 'http://acme.example.com',
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toStrictEqual({ name: 'ToriiConfigError' });
  });
});
