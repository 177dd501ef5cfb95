import type { ToriiAuth, VerifierStatus } from '@torii/core';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { describe, expectTypeOf, test } from 'vitest';
import {
  type AuthDenied,
  allOf,
  authorize,
  claimEquals,
  emailVerified,
  getAuth,
  notImpersonating,
  optionalAuth,
  requireAuth,
  type ToriiMiddlewareHandler,
  type ToriiOptionalVariables,
  type ToriiVariables,
} from './index.js';

const issuer = 'https://acme.torii.so';

// Declared through this package, as users do with `declare module '@torii/hono'`; the name is
// unique to this file.
declare module './index.js' {
  interface ToriiCustomClaims {
    hono_test_role?: 'admin' | 'member';
  }
}

describe('@torii/hono types: c.get("auth") comes from the middleware that ran', () => {
  test('a route chained after requireAuth sees ToriiAuth', () => {
    new Hono().get('/me', requireAuth({ issuer }), (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<ToriiAuth>();
      expectTypeOf(c.var.auth).toEqualTypeOf<ToriiAuth>();
      return c.json({ userId: c.get('auth').userId });
    });
  });

  test('a route chained after optionalAuth sees ToriiAuth | null, and must check for null', () => {
    new Hono().get('/feed', optionalAuth({ issuer }), (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<ToriiAuth | null>();
      // @ts-expect-error no user without a token
      c.get('auth').userId;
      return c.text('ok');
    });
  });

  test('a route without torii middleware has no auth at all: a compile error, not a 500', () => {
    new Hono().get('/health', (c) => {
      // @ts-expect-error no torii middleware on this route
      c.get('auth');
      // @ts-expect-error no torii middleware on this route
      c.var.auth;
      return c.text('ok');
    });
    const app = new Hono();
    app.use('/api/*', requireAuth({ issuer }));
    app.get('/api/me', (c) => {
      // @ts-expect-error an unchained app.use() does not type later routes: chain, or use getAuth(c)
      c.get('auth');
      expectTypeOf(getAuth(c)).toEqualTypeOf<ToriiAuth>();
      return c.text('ok');
    });
  });

  test('a sub-app that uses requireAuth types every one of its routes', () => {
    const api = new Hono().use(requireAuth({ issuer }));
    api.get('/me', (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<ToriiAuth>();
      return c.text('ok');
    });
    const app = new Hono().route('/api', api);
    app.get('/public', (c) => {
      // @ts-expect-error the parent app's own routes are not behind the sub-app's middleware
      c.get('auth');
      return c.text('ok');
    });
  });

  test('authorize() narrows to ToriiAuth, even after optionalAuth (a check needs a user)', () => {
    new Hono().get('/x', optionalAuth({ issuer }), authorize(emailVerified), (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<ToriiAuth>();
      return c.text('ok');
    });
  });

  test('the middlewares carry the torii Variables', () => {
    expectTypeOf(requireAuth({ issuer })).toExtend<
      MiddlewareHandler<{ Variables: ToriiVariables }>
    >();
    expectTypeOf(optionalAuth({ issuer })).toExtend<
      MiddlewareHandler<{ Variables: ToriiOptionalVariables }>
    >();
    expectTypeOf(requireAuth()).toEqualTypeOf<ToriiMiddlewareHandler<ToriiVariables>>();
  });

  test('the middlewares report their health; status(c) takes the context', () => {
    const auth = requireAuth({ issuer });
    expectTypeOf(auth.status()).toEqualTypeOf<VerifierStatus>();
    expectTypeOf(auth.ready()).toEqualTypeOf<Promise<VerifierStatus>>();
    new Hono().get('/health', (c) => c.json(auth.status(c)));
  });

  test('authorize(check) is a middleware with the torii Variables', () => {
    expectTypeOf(authorize(emailVerified)).toEqualTypeOf<
      MiddlewareHandler<{ Variables: ToriiVariables }>
    >();
  });
});

describe('@torii/hono types: functions', () => {
  test('getAuth(c) is ToriiAuth; with { optional: true } it may be null', () => {
    const c = {} as Context;
    expectTypeOf(getAuth(c)).toEqualTypeOf<ToriiAuth>();
    expectTypeOf(getAuth(c, { optional: true })).toEqualTypeOf<ToriiAuth | null>();
    // @ts-expect-error optional auth may have no user: check for null first
    getAuth(c, { optional: true }).userId;
  });

  test('authorize(check): the check gets the auth and the context, answers a boolean', () => {
    authorize(async (auth, c) => {
      expectTypeOf(auth).toEqualTypeOf<ToriiAuth>();
      expectTypeOf(c).toEqualTypeOf<Context>();
      return auth.raw.org === c.req.param('org');
    });
    authorize(allOf(emailVerified, notImpersonating, claimEquals('hono_test_role', 'admin')));
    // @ts-expect-error not a value of the declared claim
    claimEquals('hono_test_role', 'owner');
    // @ts-expect-error a check, not a role name
    authorize('admin');
    // @ts-expect-error the check answers a boolean
    authorize((auth) => auth.raw.role);
  });

  test('issuer may be a function of the context; callbacks get the Hono context', () => {
    requireAuth({
      issuer: (c) => {
        expectTypeOf(c).toEqualTypeOf<Context>();
        return 'https://acme.torii.so';
      },
      authorize: (auth, c) => {
        expectTypeOf(auth).toEqualTypeOf<ToriiAuth>();
        expectTypeOf(c).toEqualTypeOf<Context>();
        return true;
      },
      onDenied: (denied, c) => {
        expectTypeOf(denied).toEqualTypeOf<AuthDenied>();
        return c.json({ status: denied.status }, 401);
      },
    });
  });

  test('requireAuth does not take `optional` (use optionalAuth)', () => {
    // @ts-expect-error optional is decided by the function, not an option
    requireAuth({ issuer, optional: true });
  });
});
