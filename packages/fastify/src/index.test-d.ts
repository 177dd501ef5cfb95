import type { AuthDenied, ToriiAuth } from '@torii/core';
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
    // @ts-expect-error the issuer is required
    app.register(toriiAuth, { optional: true });
    // @ts-expect-error only onRequest and preHandler
    app.register(toriiAuth, { issuer: 'https://acme.torii.so', hook: 'onSend' });
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
