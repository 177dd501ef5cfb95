import { createServer } from 'node:http';
import { countSignatureChecks, get, isAdmin, listenOnLoopback } from '@torii/conformance';
import { FORBIDDEN_MESSAGE, NO_SIGNED_IN_USER_MESSAGE, NO_TORII_AUTH_MESSAGE } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import Koa from 'koa';
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
  ToriiError,
} from './index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

const FORBIDDEN = { error: { code: 'forbidden', message: FORBIDDEN_MESSAGE } };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Serves `app` until the test ends, behind an upstream handler that answers errors as 500 JSON. */
async function serve<T>(app: Koa<T>): Promise<string> {
  app.silent = true;
  app.middleware.unshift(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.status = 500;
      ctx.body = { error: (err as Error).name, message: (err as Error).message };
    }
  });
  const server = await listenOnLoopback(createServer(app.callback()));
  onTestFinished(() => server.close());
  return server.url;
}

describe('authorize(check) after requireAuth', () => {
  it('reads ctx.state.auth: 403 with core’s body when the check says no, next() when yes', async () => {
    const check = vi.fn(isAdmin);
    const app = new Koa()
      .use(requireAuth({ issuer: issuer.issuer }))
      .use(authorize(check))
      .use((ctx) => {
        ctx.body = { userId: ctx.state.auth.userId };
      });
    const url = await serve(app);
    const member = await get(url, '/', bearer(await issuer.sign({ role: 'member' })));
    expect(member.status).toBe(403);
    expect(member.body).toStrictEqual(FORBIDDEN);
    expect(member.headers.get('www-authenticate')).toBeNull();
    const admin = await issuer.sign({ sub: 'user_admin', role: 'admin' });
    expect((await get(url, '/', bearer(admin))).body).toStrictEqual({ userId: 'user_admin' });
    expect((await get(url, '/')).status).toBe(401);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('passes ctx and awaits async checks; composes ready-made checks', async () => {
    const app = new Koa()
      .use(requireAuth({ issuer: issuer.issuer }))
      .use(authorize(async (auth, ctx) => auth.raw.org === ctx.get('x-org')))
      .use(authorize(allOf(emailVerified, notImpersonating)))
      .use((ctx) => {
        ctx.body = { ok: true };
      });
    const url = await serve(app);
    const token = await issuer.sign({ org: 'acme', email_verified: true });
    expect((await get(url, '/', { ...bearer(token), 'x-org': 'acme' })).status).toBe(200);
    expect((await get(url, '/', { ...bearer(token), 'x-org': 'other' })).status).toBe(403);
    const acting = await issuer.sign({ org: 'acme', email_verified: true, impersonating: true });
    expect((await get(url, '/', { ...bearer(acting), 'x-org': 'acme' })).status).toBe(403);
  });

  it('verifies the token once: one signature check, where a second requireAuth costs two', async () => {
    const options = { issuer: issuer.issuer, tokenCache: false as const };
    const ok: Koa.Middleware = (ctx) => {
      ctx.body = { ok: true };
    };
    const once = new Koa().use(requireAuth(options)).use(authorize(isAdmin)).use(ok);
    const twice = new Koa()
      .use(requireAuth(options))
      .use(requireAuth({ ...options, authorize: isAdmin }))
      .use(ok);
    const [onceUrl, twiceUrl] = [await serve(once), await serve(twice)];
    const token = await issuer.sign({ role: 'admin' });
    await get(onceUrl, '/', bearer(token)); // keys fetched before counting
    const counter = countSignatureChecks();
    onTestFinished(() => counter.stop());
    expect((await get(onceUrl, '/', bearer(token))).status).toBe(200);
    expect(counter.count).toBe(1);
    counter.reset();
    expect((await get(twiceUrl, '/', bearer(token))).status).toBe(200);
    expect(counter.count).toBe(2);
  });
});

describe('authorize(check) in other places', () => {
  it('after optionalAuth: no token is a 401 (a check needs a user), the check not called', async () => {
    const check = vi.fn(() => true);
    const app = new Koa().use(optionalAuth({ issuer: issuer.issuer })).use(authorize(check));
    const res = await get(await serve(app), '/');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(check).not.toHaveBeenCalled();
  });

  it('without torii middleware before it: throws the ToriiError naming the fix', async () => {
    const check = vi.fn(() => true);
    const after = vi.fn();
    const app = new Koa().use(authorize(check)).use(after);
    const res = await get(await serve(app), '/', bearer(await issuer.sign({ role: 'admin' })));
    expect(res).toMatchObject({
      status: 500,
      body: { error: 'ToriiError', message: NO_TORII_AUTH_MESSAGE },
    });
    expect(check).not.toHaveBeenCalled();
    expect(after).not.toHaveBeenCalled();
  });

  it('an error thrown by the check propagates to Koa', async () => {
    const app = new Koa().use(requireAuth({ issuer: issuer.issuer })).use(
      authorize(() => {
        throw new Error('policy store is down');
      }),
    );
    const res = await get(await serve(app), '/', bearer(await issuer.sign()));
    expect(res).toMatchObject({ status: 500, body: { message: 'policy store is down' } });
  });

  it('answers through the onDenied of the torii middleware that ran on the request', async () => {
    const hooked = requireAuth({
      issuer: issuer.issuer,
      onDenied: (denied, ctx) => {
        ctx.status = denied.status;
        ctx.body = { custom: denied.status };
      },
    });
    const app = new Koa().use(hooked).use(authorize(isAdmin));
    const res = await get(await serve(app), '/', bearer(await issuer.sign({ role: 'member' })));
    expect(res).toMatchObject({ status: 403, body: { custom: 403 } });
  });

  it.each([
    ['nothing', undefined],
    ['a role name', 'admin'],
  ])('given %s instead of a check: ToriiConfigError at startup', (_, check) => {
    expect(() => authorize(check as never)).toThrow(ToriiConfigError);
  });
});

describe('getAuth(ctx)', () => {
  it('returns the user behind requireAuth', async () => {
    const app = new Koa().use(requireAuth({ issuer: issuer.issuer })).use((ctx) => {
      const auth = getAuth(ctx);
      ctx.body = { userId: auth.userId, same: auth === ctx.state.auth };
    });
    const res = await get(await serve(app), '/', bearer(await issuer.sign({ sub: 'user_k' })));
    expect(res.body).toStrictEqual({ userId: 'user_k', same: true });
  });

  it('optional: null without a token with { optional: true }, else the shared ToriiError', async () => {
    const app = new Koa().use(optionalAuth({ issuer: issuer.issuer })).use((ctx) => {
      ctx.body =
        ctx.path === '/lenient' ? { auth: getAuth(ctx, { optional: true }) } : getAuth(ctx);
    });
    const url = await serve(app);
    expect((await get(url, '/lenient')).body).toStrictEqual({ auth: null });
    expect(await get(url, '/strict')).toMatchObject({
      status: 500,
      body: { error: 'ToriiError', message: NO_SIGNED_IN_USER_MESSAGE },
    });
  });

  it('no torii middleware ran: the shared ToriiError naming the fix', async () => {
    const app = new Koa().use((ctx) => {
      ctx.body = getAuth(ctx);
    });
    const res = await get(await serve(app), '/', bearer(await issuer.sign()));
    expect(res).toMatchObject({
      status: 500,
      body: { error: 'ToriiError', message: NO_TORII_AUTH_MESSAGE },
    });
    expect(() => getAuth({ state: {} })).toThrow(ToriiError);
  });
});
