// Koa 3: bare route, an empty middleware in torii's place, @torii/koa requireAuth, koa-jwt with
// the issuer's public key as PEM, and the floor (a raw signature check in a middleware).

import Koa from 'koa';

// Each variant's auth library is imported by that variant's process only, so a server loads what a
// real app of its kind would: a library loaded beside another can change how V8 compiles Node's own
// hot functions for the whole process (bench/instructions.mjs shows one such case).

export const peerName = 'koa-jwt (PEM public key)';

/** @returns {Promise<{ port: number, close(): Promise<void> }>} */
export async function start(variant, config) {
  const app = new Koa();
  if (variant === 'torii') {
    const { requireAuth } = await import('@torii/koa');
    app.use(requireAuth({ issuer: config.issuer }));
  } else if (variant === 'pass') {
    app.use((ctx, next) => {
      ctx.state.auth = null;
      return next();
    });
  } else if (variant === 'peer') {
    const { default: koaJwt } = await import('koa-jwt');
    app.use(koaJwt({ secret: config.pem, algorithms: ['ES256'], issuer: config.issuer }));
  } else if (variant === 'floor') {
    const { rawBearerCheck } = await import('../raw-bearer.mjs');
    const check = rawBearerCheck(config);
    app.use((ctx, next) => {
      if (check(ctx.get('authorization'))) return next();
      ctx.status = 401;
      ctx.body = { error: { code: 'authentication_failed' } };
    });
  } else if (variant !== 'bare') {
    throw new Error(`koa: unknown variant ${variant}`);
  }
  app.use((ctx) => {
    if (ctx.path !== config.path) return;
    ctx.body = { ok: true };
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    port: server.address().port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
