import type { ToriiAuth, VerifierStatus } from '@torii/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { describe, expectTypeOf, test } from 'vitest';
import {
  type AuthDenied,
  getAuth,
  optionalAuth,
  requireAuth,
  type ToriiRequestHandler,
} from './index.js';

describe('@torii/express types', () => {
  test('req.auth is declared on every Express Request', () => {
    expectTypeOf<Request['auth']>().toEqualTypeOf<ToriiAuth | null | undefined>();
  });

  test('getAuth(req) is ToriiAuth; with { optional: true } it may be null', () => {
    const req = {} as Request;
    expectTypeOf(getAuth(req)).toEqualTypeOf<ToriiAuth>();
    expectTypeOf(getAuth(req, { optional: true })).toEqualTypeOf<ToriiAuth | null>();
  });

  test('the middlewares are Express RequestHandlers with status() and ready()', () => {
    const auth = requireAuth({ issuer: 'https://acme.torii.so' });
    expectTypeOf(auth).toEqualTypeOf<ToriiRequestHandler>();
    expectTypeOf(auth).toExtend<RequestHandler>();
    expectTypeOf(auth.status()).toEqualTypeOf<VerifierStatus>();
    expectTypeOf(auth.ready()).toEqualTypeOf<Promise<VerifierStatus>>();
    expectTypeOf(optionalAuth()).toEqualTypeOf<ToriiRequestHandler>();
  });

  test('callbacks get the Express request, the hook gets req, res and next', () => {
    requireAuth({
      issuer: 'https://acme.torii.so',
      authorize: (auth, req) => {
        expectTypeOf(auth).toEqualTypeOf<ToriiAuth>();
        expectTypeOf(req).toEqualTypeOf<Request>();
        return true;
      },
      getToken: (req) => {
        expectTypeOf(req).toEqualTypeOf<Request>();
        return req.get('x-token');
      },
      onDenied: (denied, req, res, next) => {
        expectTypeOf(denied).toEqualTypeOf<AuthDenied>();
        expectTypeOf(denied.status).toEqualTypeOf<401 | 403 | 503>();
        expectTypeOf(req).toEqualTypeOf<Request>();
        expectTypeOf(res).toEqualTypeOf<Response>();
        expectTypeOf(next).toEqualTypeOf<NextFunction>();
      },
    });
  });

  test('requireAuth does not take `optional` (use optionalAuth)', () => {
    // @ts-expect-error optional is decided by the function, not an option
    requireAuth({ issuer: 'https://acme.torii.so', optional: true });
  });
});
