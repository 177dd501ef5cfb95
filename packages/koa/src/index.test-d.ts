import type { ToriiAuth, VerifierStatus } from '@torii/core';
import Koa, { type Context, type Middleware } from 'koa';
import { describe, expectTypeOf, test } from 'vitest';
import {
  type AuthDenied,
  optionalAuth,
  requireAuth,
  type ToriiMiddleware,
  type ToriiOptionalState,
  type ToriiState,
} from './index.js';

const issuer = 'https://acme.torii.so';

describe('@torii/koa types', () => {
  test('plain new Koa(): ctx.state.auth is declared on DefaultState', () => {
    const app = new Koa();
    app.use((ctx) => {
      expectTypeOf(ctx.state.auth).toEqualTypeOf<ToriiAuth | null | undefined>();
    });
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
