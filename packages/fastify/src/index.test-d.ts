import type { AuthDenied, ToriiAuth, VerifierStatus } from '@torii/core';
import Fastify, {
  type FastifyContextConfig,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import toriiAuthDefault, {
  allOf,
  authorize,
  claimEquals,
  emailVerified,
  getAuth,
  notImpersonating,
  type ToriiFastifyOptions,
  type ToriiRouteConfig,
  toriiAuth,
} from './index.js';

// Declared through this package, as users do with `declare module '@torii/fastify'`; the name is
// unique to this file.
declare module './index.js' {
  interface ToriiCustomClaims {
    fastify_test_role?: 'admin' | 'member';
  }
}

describe('@torii/fastify types', () => {
  it('request.auth may be missing; getAuth(request) is ToriiAuth', () => {
    expectTypeOf<FastifyRequest['auth']>().toEqualTypeOf<ToriiAuth | null | undefined>();
    Fastify().get('/', async (request) => {
      expectTypeOf(request.auth).toEqualTypeOf<ToriiAuth | null | undefined>();
      // @ts-expect-error torii may not run on this route, or auth is optional: use getAuth
      request.auth.userId;
      expectTypeOf(getAuth(request)).toEqualTypeOf<ToriiAuth>();
      expectTypeOf(getAuth(request, { optional: true })).toEqualTypeOf<ToriiAuth | null>();
      // @ts-expect-error optional auth may have no user: check for null first
      getAuth(request, { optional: true }).userId;
    });
  });

  it('exports the plugin as default and named, registrable with typed options', () => {
    expectTypeOf(toriiAuthDefault).toEqualTypeOf(toriiAuth);
    const app = Fastify();
    app.register(toriiAuth, {
      issuer: 'https://acme.torii.so',
      optional: true,
      hook: 'preHandler',
    });
    // the issuer may come from TORII_ISSUER
    app.register(toriiAuth, { optional: true });
    app.register(toriiAuth, { issuer: 'https://acme.torii.so', startup: 'fail', logger: app.log });
    // @ts-expect-error only onRequest and preHandler
    app.register(toriiAuth, { issuer: 'https://acme.torii.so', hook: 'onSend' });
  });

  it('decorates the instance with torii: status() and ready()', () => {
    const app = Fastify();
    expectTypeOf(app.torii.status()).toEqualTypeOf<VerifierStatus>();
    expectTypeOf(app.torii.ready()).toEqualTypeOf<Promise<VerifierStatus>>();
  });

  it('types the route config: false, optional, authorize', () => {
    const app = Fastify();
    app.get('/a', { config: { torii: false } }, async () => 'a');
    app.get('/b', { config: { torii: { optional: true } } }, async () => 'b');
    app.get(
      '/c',
      {
        config: {
          torii: {
            authorize: (auth, request) => {
              expectTypeOf(auth).toEqualTypeOf<ToriiAuth>();
              expectTypeOf(request).toEqualTypeOf<FastifyRequest>();
              return auth.raw.role === 'admin';
            },
          },
        },
      },
      async () => 'c',
    );
    app.get(
      '/d',
      { config: { torii: { optional: true, authorize: allOf(emailVerified, notImpersonating) } } },
      async () => 'd',
    );
    // @ts-expect-error a check, not a role name
    app.get('/e', { config: { torii: { authorize: 'admin' } } }, async () => 'e');
    // @ts-expect-error the check answers a boolean
    app.get('/f', { config: { torii: { authorize: (auth) => auth.raw.role } } }, async () => 'f');
    expectTypeOf<FastifyContextConfig['torii']>().toEqualTypeOf<
      false | ToriiRouteConfig | undefined
    >();
  });

  it('authorize(check) is a route hook, as preHandler or onRequest', () => {
    const app = Fastify();
    app.get(
      '/orgs/:org',
      {
        preHandler: authorize((auth, request) => {
          expectTypeOf(request).toEqualTypeOf<FastifyRequest>();
          return auth.raw.org === (request.params as { org: string }).org;
        }),
      },
      async (request) => getAuth(request).userId,
    );
    app.get<{ Params: { id: string } }>(
      '/typed/:id',
      { preHandler: [authorize(claimEquals('fastify_test_role', 'admin'))] },
      async (request) => request.params.id,
    );
    app.get('/early', { onRequest: authorize(emailVerified) }, async () => 'x');
    // @ts-expect-error not a value of the declared claim
    claimEquals('fastify_test_role', 'owner');
    // @ts-expect-error a check, not a role name
    authorize('admin');
  });

  it('types the plugin options and hooks', () => {
    expectTypeOf<ToriiFastifyOptions['authorize']>().toEqualTypeOf<
      ((auth: ToriiAuth, request: FastifyRequest) => boolean | Promise<boolean>) | undefined
    >();
    expectTypeOf<NonNullable<ToriiFastifyOptions['onDenied']>>().parameters.toEqualTypeOf<
      [AuthDenied, FastifyRequest, FastifyReply]
    >();
  });
});
