// Hono 4 on @hono/node-server: bare route, an empty middleware in torii's place, @torii/hono
// requireAuth, hono/jwk with the keys given up front (no jwks_uri fetch per request), and the
// floor (a raw signature check in a middleware).

import { serve } from '@hono/node-server';
import { Hono } from 'hono';

// Each variant's auth library is imported by that variant's process only, so a server loads what a
// real app of its kind would: a library loaded beside another can change how V8 compiles Node's own
// hot functions for the whole process (bench/instructions.mjs shows one such case).

export const peerName = 'hono/jwk (static keys)';

/** @returns {Promise<{ port: number, close(): Promise<void> }>} */
export async function start(variant, config) {
  const app = new Hono();
  if (variant === 'torii') {
    const { requireAuth } = await import('@torii/hono');
    app.use(config.path, requireAuth({ issuer: config.issuer }));
  } else if (variant === 'pass') {
    // Hono's own middleware pattern, doing nothing but set the variable.
    app.use(config.path, async (c, next) => {
      c.set('auth', null);
      await next();
    });
  } else if (variant === 'peer') {
    const { jwk } = await import('hono/jwk');
    app.use(
      config.path,
      jwk({ keys: config.jwks.keys, alg: ['ES256'], verification: { iss: config.issuer } }),
    );
  } else if (variant === 'floor') {
    const { rawBearerCheck } = await import('../raw-bearer.mjs');
    const check = rawBearerCheck(config);
    app.use(config.path, async (c, next) => {
      if (!check(c.req.header('authorization'))) {
        return c.json({ error: { code: 'authentication_failed' } }, 401);
      }
      await next();
    });
  } else if (variant !== 'bare') {
    throw new Error(`hono: unknown variant ${variant}`);
  }
  app.get(config.path, (c) => c.json({ ok: true }));
  let server;
  const port = await new Promise((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve(info.port),
    );
    server.once('error', reject);
  });
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
