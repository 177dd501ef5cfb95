import type { ToriiAuth, VerifierStatus } from '@torii/core';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { describe, expectTypeOf, test } from 'vitest';
import {
  type AuthCheck,
  type AuthDenied,
  allOf,
  anyOf,
  authorize,
  claimEquals,
  claimIncludes,
  emailVerified,
  environment,
  getAuth,
  notImpersonating,
  optionalAuth,
  profileComplete,
  type ToriiAuth as ReExportedAuth,
  requireAuth,
  type ToriiRequestHandler,
} from './index.js';

const issuer = 'https://acme.torii.so';

// Declared through this package, as users do with `declare module '@torii/express'` (no
// `@torii/core` import needed); the name is unique to this file.
declare module './index.js' {
  interface ToriiCustomClaims {
    express_test_role?: 'admin' | 'member';
  }
}

describe('@torii/express types', () => {
  test('req.auth is declared on every Express Request, and says it may be missing', () => {
    expectTypeOf<Request['auth']>().toEqualTypeOf<ToriiAuth | null | undefined>();
    express().get('/any', (req, res) => {
      // @ts-expect-error no torii middleware may have run here, or auth is optional: use getAuth
      res.json({ userId: req.auth.userId });
    });
  });

  test('getAuth(req) is ToriiAuth; with { optional: true } it may be null', () => {
    const req = {} as Request;
    expectTypeOf(getAuth(req)).toEqualTypeOf<ToriiAuth>();
    expectTypeOf(getAuth(req, { optional: true })).toEqualTypeOf<ToriiAuth | null>();
    // @ts-expect-error optional auth may have no user: check for null first
    getAuth(req, { optional: true }).userId;
    // @ts-expect-error only { optional: true } (getAuth(req) is the required form)
    getAuth(req, { optional: false });
  });

  test('the middlewares are Express RequestHandlers with status() and ready()', () => {
    const auth = requireAuth({ issuer: 'https://acme.torii.so' });
    expectTypeOf(auth).toEqualTypeOf<ToriiRequestHandler>();
    expectTypeOf(auth).toExtend<RequestHandler>();
    expectTypeOf(auth.status()).toEqualTypeOf<VerifierStatus>();
    expectTypeOf(auth.ready()).toEqualTypeOf<Promise<VerifierStatus>>();
    expectTypeOf(optionalAuth()).toEqualTypeOf<ToriiRequestHandler>();
    expectTypeOf(authorize(emailVerified)).toEqualTypeOf<RequestHandler>();
  });

  test('authorize(check): the check gets the auth and the Express request, answers a boolean', () => {
    express().get(
      '/orgs/:org',
      requireAuth({ issuer }),
      authorize((auth, req) => {
        expectTypeOf(auth).toEqualTypeOf<ToriiAuth>();
        expectTypeOf(req).toEqualTypeOf<Request>();
        return auth.raw.org === req.params.org;
      }),
      authorize(async (auth) => auth.emailVerified),
      authorize(allOf(emailVerified, profileComplete, notImpersonating, environment('env_1'))),
      authorize(anyOf(claimEquals('role', 'admin'), claimIncludes('groups', 'staff'))),
      authorize(
        allOf(emailVerified, (_auth, req) => {
          expectTypeOf(req).toEqualTypeOf<Request>();
          return req.ip !== undefined;
        }),
      ),
      (req, res) => {
        res.json({ userId: getAuth(req).userId });
      },
    );
    expectTypeOf<AuthCheck<Request>>().toEqualTypeOf<
      (auth: ToriiAuth, request: Request) => boolean | Promise<boolean>
    >();
    // @ts-expect-error a check, not a role name
    authorize('admin');
    // @ts-expect-error the check answers a boolean, not the claim
    authorize((auth) => auth.raw.role);
    // @ts-expect-error a check needs its argument
    authorize();
  });

  test('callbacks get the Express request, the hook gets req, res and next', () => {
    requireAuth({
      issuer,
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
    requireAuth({ issuer, optional: true });
  });

  test('custom claims declared through @torii/express type auth.raw and the claim checks', () => {
    expectTypeOf(getAuth({} as Request).raw.express_test_role).toEqualTypeOf<
      'admin' | 'member' | undefined
    >();
    authorize(claimEquals('express_test_role', 'admin'));
    // @ts-expect-error not a value of the declared claim
    authorize(claimEquals('express_test_role', 'owner'));
  });

  test('the re-exported types are core’s', () => {
    expectTypeOf<ReExportedAuth>().toEqualTypeOf<ToriiAuth>();
  });
});
