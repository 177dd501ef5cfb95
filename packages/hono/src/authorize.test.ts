import { createAdaptorServer } from '@hono/node-server';
import { countSignatureChecks, get, isAdmin, listenOnLoopback } from '@torii/conformance';
import { FORBIDDEN_MESSAGE, NO_SIGNED_IN_USER_MESSAGE, NO_TORII_AUTH_MESSAGE } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  allOf,
  authorize,
  emailVerified,
  getAuth,
  notImpersonating,
  optionalAuth,
  requireAuth,
  ToriiConfigError,
} from './index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

const FORBIDDEN = { error: { code: 'forbidden', message: FORBIDDEN_MESSAGE } };
const bearer = (token: string, extra: Record<string, string> = {}) => ({
  headers: { authorization: `Bearer ${token}`, ...extra },
});

/** Errors answer 500 `{ error: name, message }`, as an app's onError would. */
function withErrors<T extends Hono>(app: T): T {
  app.onError((err, c) => c.json({ error: err.name, message: err.message }, 500));
  return app;
}

describe('authorize(check) after requireAuth', () => {
  it('reads c.get("auth"): 403 with core’s body when the check says no, next() when yes', async () => {
    const check = vi.fn(isAdmin);
    const app = new Hono().get(
      '/admin',
      requireAuth({ issuer: issuer.issuer }),
      authorize(check),
      (c) => c.json({ userId: c.get('auth').userId }),
    );
    const member = await app.request('/admin', bearer(await issuer.sign({ role: 'member' })));
    expect(member.status).toBe(403);
    expect(await member.json()).toStrictEqual(FORBIDDEN);
    expect(member.headers.get('www-authenticate')).toBeNull();
    expect(member.headers.get('content-type')).toMatch(/^application\/json/);
    const admin = await issuer.sign({ sub: 'user_admin', role: 'admin' });
    expect(await (await app.request('/admin', bearer(admin))).json()).toStrictEqual({
      userId: 'user_admin',
    });
    expect((await app.request('/admin')).status).toBe(401);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('passes the context and awaits async checks; composes ready-made checks', async () => {
    const api = new Hono()
      .use(requireAuth({ issuer: issuer.issuer }))
      .use(authorize(async (auth, c) => auth.raw.org === c.req.header('x-org')))
      .get('/account', authorize(allOf(emailVerified, notImpersonating)), (c) =>
        c.json({ ok: true }),
      );
    const token = await issuer.sign({ org: 'acme', email_verified: true });
    expect((await api.request('/account', bearer(token, { 'x-org': 'acme' }))).status).toBe(200);
    expect((await api.request('/account', bearer(token, { 'x-org': 'other' }))).status).toBe(403);
    const acting = await issuer.sign({ org: 'acme', email_verified: true, impersonating: true });
    expect((await api.request('/account', bearer(acting, { 'x-org': 'acme' }))).status).toBe(403);
  });

  it('verifies the token once: one signature check, where a second requireAuth costs two', async () => {
    const options = { issuer: issuer.issuer, tokenCache: false as const };
    const app = new Hono()
      .get('/route-check', requireAuth(options), authorize(isAdmin), (c) => c.json({ ok: true }))
      .get(
        '/second-guard',
        requireAuth(options),
        requireAuth({ ...options, authorize: isAdmin }),
        (c) => c.json({ ok: true }),
      );
    const server = await listenOnLoopback(createAdaptorServer({ fetch: app.fetch }));
    onTestFinished(() => server.close());
    const headers = bearer(await issuer.sign({ role: 'admin' })).headers;
    await get(server.url, '/route-check', headers); // keys fetched before counting
    const counter = countSignatureChecks();
    onTestFinished(() => counter.stop());
    expect((await get(server.url, '/route-check', headers)).status).toBe(200);
    expect(counter.count).toBe(1);
    counter.reset();
    expect((await get(server.url, '/second-guard', headers)).status).toBe(200);
    expect(counter.count).toBe(2);
  });
});

describe('authorize(check) in other places', () => {
  it('after optionalAuth: no token is a 401 (a check needs a user), the check not called', async () => {
    const check = vi.fn(() => true);
    const app = new Hono().get(
      '/x',
      optionalAuth({ issuer: issuer.issuer }),
      authorize(check),
      (c) => c.text('ok'),
    );
    const res = await app.request('/x');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(check).not.toHaveBeenCalled();
  });

  it('without torii middleware before it: the ToriiError naming the fix, to app.onError', async () => {
    const check = vi.fn(() => true);
    const handler = vi.fn((c) => c.text('reached'));
    const app = withErrors(new Hono().get('/x', authorize(check), handler));
    const res = await app.request('/x', bearer(await issuer.sign({ role: 'admin' })));
    expect(res.status).toBe(500);
    expect(await res.json()).toStrictEqual({ error: 'ToriiError', message: NO_TORII_AUTH_MESSAGE });
    expect(check).not.toHaveBeenCalled();
    expect(handler).not.toHaveBeenCalled();
  });

  it('an error thrown by the check goes to app.onError', async () => {
    const boom = authorize(() => {
      throw new Error('policy store is down');
    });
    const app = withErrors(
      new Hono().get('/x', requireAuth({ issuer: issuer.issuer }), boom, (c) => c.text('ok')),
    );
    const res = await app.request('/x', bearer(await issuer.sign()));
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ message: 'policy store is down' });
  });

  it('answers through the onDenied of the torii middleware that ran on the request', async () => {
    const hooked = requireAuth({
      issuer: issuer.issuer,
      onDenied: (denied, c) => c.json({ custom: denied.status }, denied.status),
    });
    const app = new Hono().get('/x', hooked, authorize(isAdmin), (c) => c.text('ok'));
    const res = await app.request('/x', bearer(await issuer.sign({ role: 'member' })));
    expect(res.status).toBe(403);
    expect(await res.json()).toStrictEqual({ custom: 403 });
  });

  it.each([
    ['nothing', undefined],
    ['a role name', 'admin'],
  ])('given %s instead of a check: ToriiConfigError at startup', (_, check) => {
    expect(() => authorize(check as never)).toThrow(ToriiConfigError);
  });
});

describe('getAuth(c)', () => {
  it('returns the user behind an unchained app.use(requireAuth())', async () => {
    const app = new Hono();
    app.use('/api/*', requireAuth({ issuer: issuer.issuer }));
    app.get('/api/me', (c) => c.json({ userId: getAuth(c).userId }));
    const res = await app.request('/api/me', bearer(await issuer.sign({ sub: 'user_h' })));
    expect(await res.json()).toStrictEqual({ userId: 'user_h' });
  });

  it('optional: null with { optional: true }, else the shared ToriiError', async () => {
    const app = withErrors(new Hono());
    app.use(optionalAuth({ issuer: issuer.issuer }));
    app.get('/lenient', (c) => c.json({ auth: getAuth(c, { optional: true }) }));
    app.get('/strict', (c) => c.json(getAuth(c)));
    expect(await (await app.request('/lenient')).json()).toStrictEqual({ auth: null });
    const strict = await app.request('/strict');
    expect(strict.status).toBe(500);
    expect(await strict.json()).toStrictEqual({
      error: 'ToriiError',
      message: NO_SIGNED_IN_USER_MESSAGE,
    });
  });

  it('no torii middleware ran: the shared ToriiError naming the fix', async () => {
    const app = withErrors(new Hono().get('/x', (c) => c.json(getAuth(c))));
    const res = await app.request('/x', bearer(await issuer.sign()));
    expect(await res.json()).toStrictEqual({ error: 'ToriiError', message: NO_TORII_AUTH_MESSAGE });
  });
});
