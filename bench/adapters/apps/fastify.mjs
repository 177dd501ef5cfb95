// Fastify 5: bare route, an empty onRequest hook in torii's place, the @torii/fastify plugin, and
// @fastify/jwt with the issuer's public key as PEM (the plugin's documented onRequest pattern).

import Fastify from 'fastify';

// Each variant's auth library is imported by that variant's process only, so a server loads what a
// real app of its kind would: a library loaded beside another can change how V8 compiles Node's own
// hot functions for the whole process (bench/instructions.mjs shows one such case).

export const peerName = '@fastify/jwt (PEM public key)';

/** @returns {Promise<{ port: number, close(): Promise<void> }>} */
export async function start(variant, config) {
  const app = Fastify({ logger: false });
  if (variant === 'torii') {
    const { default: toriiAuth } = await import('@torii/fastify');
    await app.register(toriiAuth, { issuer: config.issuer });
  } else if (variant === 'pass') {
    // torii's shape without its work: a request decorator and a callback onRequest hook.
    app.decorateRequest('auth', undefined);
    app.addHook('onRequest', (request, _reply, done) => {
      request.auth = null;
      done();
    });
  } else if (variant === 'peer') {
    const { default: fastifyJwt } = await import('@fastify/jwt');
    await app.register(fastifyJwt, {
      secret: { public: config.pem },
      verify: { algorithms: ['ES256'], allowedIss: config.issuer },
    });
    app.addHook('onRequest', async (request, reply) => {
      try {
        await request.jwtVerify();
      } catch (error) {
        reply.send(error);
      }
    });
  } else if (variant === 'floor') {
    const { rawBearerCheck } = await import('../raw-bearer.mjs');
    const check = rawBearerCheck(config);
    app.addHook('onRequest', async (request, reply) => {
      if (!check(request.headers.authorization)) {
        reply.code(401).send({ error: { code: 'authentication_failed' } });
      }
    });
  } else if (variant !== 'bare') {
    throw new Error(`fastify: unknown variant ${variant}`);
  }
  app.get(config.path, async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: app.server.address().port, close: () => app.close() };
}
