import type { ToriiAuth, VerifierStatus } from '@torii/core';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { describe, expectTypeOf, test } from 'vitest';
import {
  type AuthDenied,
  optionalAuth,
  requireAuth,
  type ToriiMiddlewareHandler,
  type ToriiOptionalVariables,
  type ToriiVariables,
} from './index.js';

const issuer = 'https://acme.torii.so';

describe('@torii/hono types', () => {
  test('new Hono<{ Variables: ToriiVariables }>(): c.get("auth") and c.var.auth are ToriiAuth', () => {
    const app = new Hono<{ Variables: ToriiVariables }>();
    app.use('/api/*', requireAuth({ issuer }));
    app.get('/api/me', (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<ToriiAuth>();
      expectTypeOf(c.var.auth).toEqualTypeOf<ToriiAuth>();
      return c.text('ok');
    });
  });

  test('a route chained after requireAuth sees ToriiAuth without typing the app', () => {
    new Hono().get('/me', requireAuth({ issuer }), (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<ToriiAuth>();
      return c.text('ok');
    });
  });

  test('a route chained after optionalAuth sees ToriiAuth | null', () => {
    new Hono().get('/feed', optionalAuth({ issuer }), (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<ToriiAuth | null>();
      return c.text('ok');
    });
  });

  test('plain new Hono(): ContextVariableMap types c.get("auth") as ToriiAuth | null', () => {
    new Hono().get('/any', (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<ToriiAuth | null>();
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
