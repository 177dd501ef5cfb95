import type { AuthDenied, ToriiAuth, VerifierStatus } from '@torii/core';
import Fastify, {
  type FastifyContextConfig,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import toriiAuthDefault, { getAuth, type ToriiFastifyOptions, toriiAuth } from './index.js';

describe('@torii/fastify types', () => {
  it('types request.auth as ToriiAuth | null and getAuth as ToriiAuth', () => {
    expectTypeOf<FastifyRequest['auth']>().toEqualTypeOf<ToriiAuth | null>();
    expectTypeOf(getAuth).returns.toEqualTypeOf<ToriiAuth>();
    Fastify().get('/', async (request) => {
      expectTypeOf(request.auth).toEqualTypeOf<ToriiAuth | null>();
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

  it('types the route config and the hooks', () => {
    const app = Fastify();
    app.get('/a', { config: { torii: false } }, async () => 'a');
    app.get('/b', { config: { torii: { optional: true } } }, async () => 'b');
    expectTypeOf<FastifyContextConfig['torii']>().toEqualTypeOf<
      false | { optional?: boolean } | undefined
    >();
    expectTypeOf<ToriiFastifyOptions['authorize']>().toEqualTypeOf<
      ((auth: ToriiAuth, request: FastifyRequest) => boolean | Promise<boolean>) | undefined
    >();
    expectTypeOf<NonNullable<ToriiFastifyOptions['onDenied']>>().parameters.toEqualTypeOf<
      [AuthDenied, FastifyRequest, FastifyReply]
    >();
  });
});
