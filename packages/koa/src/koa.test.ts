import { createServer } from 'node:http';
import { get, listenOnLoopback, uncalledFactoryMessage } from '@torii/conformance';
import { type AuthDenied, ToriiAuthError, ToriiConfigError } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { optionalAuth, requireAuth, type ToriiState } from './index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

/** Serves `app` (silent: no error logging) on loopback until the running test ends. */
async function serve<T>(app: Koa<T>): Promise<string> {
  app.silent = true;
  const server = await listenOnLoopback(createServer(app.callback()));
  onTestFinished(() => server.close());
  return server.url;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An upstream error handler, the Koa idiom: catches what downstream throws. */
function catchErrors<T>(app: Koa<T>, seen: unknown[]): void {
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      seen.push(err);
      ctx.status = 500;
      ctx.body = { caught: err instanceof Error ? err.message : String(err) };
    }
  });
}

describe('ctx.state.auth', () => {
  it('is the frozen verified user on a Koa<ToriiState> app', async () => {
    const app = new Koa<ToriiState>();
    app.use(requireAuth({ issuer: issuer.issuer }));
    app.use((ctx) => {
      ctx.body = { frozen: Object.isFrozen(ctx.state.auth), userId: ctx.state.auth.userId };
    });
    const res = await get(await serve(app), '/', bearer(await issuer.sign({ sub: 'user_koa' })));
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ frozen: true, userId: 'user_koa' });
  });

  it('is null behind optionalAuth without a token, and downstream runs', async () => {
    const app = new Koa();
    app.use(optionalAuth({ issuer: issuer.issuer }));
    app.use((ctx) => {
      ctx.body = { auth: ctx.state.auth };
    });
    expect((await get(await serve(app), '/')).body).toStrictEqual({ auth: null });
  });

  it('downstream middleware never runs when the request is denied', async () => {
    let reached = 0;
    const app = new Koa();
    app.use(requireAuth({ issuer: issuer.issuer }));
    app.use((ctx) => {
      reached += 1;
      ctx.body = 'secret';
    });
    const url = await serve(app);
    expect((await get(url, '/', bearer('garbage'))).status).toBe(401);
    expect((await get(url, '/')).status).toBe(401);
    expect(reached).toBe(0);
  });
});

describe('errors thrown by user callbacks propagate to Koa error handling', () => {
  it('authorize throwing reaches an upstream try/catch', async () => {
    const seen: unknown[] = [];
    const app = new Koa();
    catchErrors(app, seen);
    const authorize = () => {
      throw new Error('policy store is down');
    };
    app.use(requireAuth({ issuer: issuer.issuer, authorize }));
    const res = await get(await serve(app), '/', bearer(await issuer.sign()));
    expect(res.status).toBe(500);
    expect(res.body).toStrictEqual({ caught: 'policy store is down' });
    expect(seen).toHaveLength(1);
  });

  it('getToken rejecting reaches an upstream try/catch', async () => {
    const seen: unknown[] = [];
    const app = new Koa();
    catchErrors(app, seen);
    app.use(
      requireAuth({ issuer: issuer.issuer, getToken: () => Promise.reject(new Error('no store')) }),
    );
    const res = await get(await serve(app), '/');
    expect(res.body).toStrictEqual({ caught: 'no store' });
  });

  it('without a handler Koa answers 500 and emits "error"', async () => {
    const app = new Koa();
    const emitted: unknown[] = [];
    app.on('error', (err) => emitted.push(err));
    const authorize = () => {
      throw new Error('boom');
    };
    app.use(requireAuth({ issuer: issuer.issuer, authorize }));
    const url = await serve(app);
    const res = await get(url, '/', bearer(await issuer.sign()));
    expect(res.status).toBe(500);
    expect(emitted).toHaveLength(1);
  });
});

describe('onDenied', () => {
  it('receives the decision and ctx, and its answer replaces torii’s', async () => {
    const seen: Array<{ denied: AuthDenied; path: string }> = [];
    const app = new Koa();
    app.use(
      requireAuth({
        issuer: issuer.issuer,
        onDenied: (denied, ctx) => {
          seen.push({ denied, path: ctx.path });
          ctx.status = denied.status;
          ctx.set('www-authenticate', denied.headers['www-authenticate'] ?? '');
          ctx.body = { custom: denied.body.error.code };
        },
      }),
    );
    const res = await get(await serve(app), '/x', bearer(await issuer.sign({}, { expired: true })));
    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual({ custom: 'authentication_failed' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(seen[0]?.path).toBe('/x');
    expect(seen[0]?.denied.error).toBeInstanceOf(ToriiAuthError);
    expect(seen[0]?.denied.error?.code).toBe('token_expired');
  });

  it('may ctx.throw() to hand the denial to Koa', async () => {
    const app = new Koa();
    app.use(
      requireAuth({ issuer: issuer.issuer, onDenied: (denied, ctx) => ctx.throw(denied.status) }),
    );
    const res = await get(await serve(app), '/');
    expect(res.status).toBe(401);
    expect(res.text).toBe('Unauthorized');
  });
});

describe('options', () => {
  it('getToken can read a Koa cookie', async () => {
    const app = new Koa();
    app.use(requireAuth({ issuer: issuer.issuer, getToken: (ctx) => ctx.cookies.get('session') }));
    app.use((ctx) => {
      ctx.body = { userId: ctx.state.auth?.userId };
    });
    const token = await issuer.sign({ sub: 'user_cookie' });
    const res = await get(await serve(app), '/', { cookie: `session=${token}` });
    expect(res.body).toStrictEqual({ userId: 'user_cookie' });
  });

  it('bad options throw ToriiConfigError when the middleware is created', () => {
    expect(() => requireAuth({ issuer: 'http://acme.example.com' })).toThrow(ToriiConfigError);
    expect(() => optionalAuth({ issuer: 'ftp://acme.torii.so' })).toThrow(ToriiConfigError);
  });

  it.each([
    ['requireAuth', requireAuth],
    ['optionalAuth', optionalAuth],
  ])(
    'app.use(%s) without calling it throws a ToriiConfigError that says to call it',
    async (name, factory) => {
      const app = new Koa();
      const seen: unknown[] = [];
      catchErrors(app, seen);
      app.use(factory as never);
      app.use((ctx) => {
        ctx.body = { reached: true };
      });
      const res = await get(await serve(app), '/', bearer(await issuer.sign()));
      expect(res.status).toBe(500);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeInstanceOf(ToriiConfigError);
      expect((seen[0] as Error).message).toBe(uncalledFactoryMessage(name));
    },
  );
});
