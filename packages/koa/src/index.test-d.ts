import type { ToriiAuth, VerifierStatus } from '@torii/core';
import Koa, { type Context, type Middleware } from 'koa';
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
  type ToriiMiddleware,
  type ToriiOptionalState,
  type ToriiState,
} from './index.js';

const issuer = 'https://acme.torii.so';

// Declared through this package, as users do with `declare module '@torii/koa'`; the name is
// unique to this file.
declare module './index.js' {
  interface ToriiCustomClaims {
    koa_test_role?: 'admin' | 'member';
  }
}

describe('@torii/koa types', () => {
  test('plain new Koa(): ctx.state.auth is declared on DefaultState, possibly missing', () => {
    const app = new Koa();
    app.use((ctx) => {
      expectTypeOf(ctx.state.auth).toEqualTypeOf<ToriiAuth | null | undefined>();
      // @ts-expect-error no torii middleware may have run, or auth is optional
      ctx.state.auth.userId;
    });
  });

  test('getAuth(ctx) is ToriiAuth; with { optional: true } it may be null', () => {
    new Koa().use((ctx) => {
      expectTypeOf(getAuth(ctx)).toEqualTypeOf<ToriiAuth>();
      expectTypeOf(getAuth(ctx, { optional: true })).toEqualTypeOf<ToriiAuth | null>();
      // @ts-expect-error optional auth may have no user: check for null first
      getAuth(ctx, { optional: true }).userId;
    });
    new Koa<ToriiState>().use((ctx) => {
      expectTypeOf(getAuth(ctx)).toEqualTypeOf<ToriiAuth>();
    });
    // @ts-expect-error a context whose state says auth is something else
    getAuth({ state: { auth: 'user_1' } });
  });

  test('chaining authorize() after optionalAuth() narrows auth to ToriiAuth (it needs a user)', () => {
    new Koa()
      .use(optionalAuth({ issuer }))
      .use((ctx) => {
        expectTypeOf(ctx.state.auth).toExtend<ToriiAuth | null>();
        // @ts-expect-error null without a token
        ctx.state.auth.userId;
      })
      .use(authorize(emailVerified))
      .use((ctx) => {
        expectTypeOf(ctx.state.auth).toExtend<ToriiAuth>();
      });
  });

  test('authorize(check): the check gets the auth and the Koa context, answers a boolean', () => {
    expectTypeOf(authorize(emailVerified)).toEqualTypeOf<Middleware<ToriiState>>();
    authorize(async (auth, ctx) => {
      expectTypeOf(auth).toEqualTypeOf<ToriiAuth>();
      expectTypeOf(ctx).toEqualTypeOf<Context>();
      return auth.raw.org === ctx.get('x-org');
    });
    authorize(allOf(emailVerified, notImpersonating, claimEquals('koa_test_role', 'admin')));
    // @ts-expect-error not a value of the declared claim
    claimEquals('koa_test_role', 'owner');
    // @ts-expect-error a check, not a role name
    authorize('admin');
    // @ts-expect-error the check answers a boolean
    authorize((auth) => auth.raw.role);
  });

  test('new Koa<ToriiState>(): ctx.state.auth is ToriiAuth', () => {
    const app = new Koa<ToriiState>();
    app.use(requireAuth({ issuer }));
    app.use((ctx) => {
      expectTypeOf(ctx.state.auth).toEqualTypeOf<ToriiAuth>();
    });
  });

  test('new Koa<ToriiOptionalState>(): ctx.state.auth is ToriiAuth | null', () => {
    const app = new Koa<ToriiOptionalState>();
    app.use(optionalAuth({ issuer }));
    app.use((ctx) => {
      expectTypeOf(ctx.state.auth).toEqualTypeOf<ToriiAuth | null>();
    });
  });

  test('chaining app.use(requireAuth()) narrows the state of what follows', () => {
    new Koa().use(requireAuth({ issuer })).use((ctx) => {
      expectTypeOf(ctx.state.auth).toExtend<ToriiAuth>();
    });
  });

  test('the middlewares are Koa middleware with the torii state', () => {
    expectTypeOf(requireAuth({ issuer })).toExtend<Middleware<ToriiState>>();
    expectTypeOf(optionalAuth({ issuer })).toExtend<Middleware<ToriiOptionalState>>();
    expectTypeOf(requireAuth({ issuer })).toEqualTypeOf<ToriiMiddleware<ToriiState>>();
    expectTypeOf(requireAuth({ issuer }).status()).toEqualTypeOf<VerifierStatus>();
    expectTypeOf(optionalAuth().ready()).toEqualTypeOf<Promise<VerifierStatus>>();
  });

  test('callbacks get the Koa context; the hook gets the decision and ctx', () => {
    requireAuth({
      issuer,
      authorize: (auth, ctx) => {
        expectTypeOf(auth).toEqualTypeOf<ToriiAuth>();
        expectTypeOf(ctx).toEqualTypeOf<Context>();
        return true;
      },
      getToken: (ctx) => ctx.cookies.get('torii_token'),
      onDenied: (denied, ctx) => {
        expectTypeOf(denied).toEqualTypeOf<AuthDenied>();
        expectTypeOf(ctx).toEqualTypeOf<Context>();
      },
    });
  });

  test('requireAuth does not take `optional` (use optionalAuth)', () => {
    // @ts-expect-error optional is decided by the function, not an option
    requireAuth({ issuer, optional: true });
  });
});
