// Express 5: bare route, an empty middleware in torii's place, @torii/express requireAuth, and a
// jose snippet as middleware.

import express from 'express';

// Each variant's auth library is imported by that variant's process only, so a server loads what a
// real app of its kind would: a library loaded beside another can change how V8 compiles Node's own
// hot functions for the whole process (bench/instructions.mjs shows one such case).

export const peerName = 'jose snippet (createLocalJWKSet + jwtVerify)';

const ok = (_req, res) => {
  res.json({ ok: true });
};

async function joseMiddleware(config) {
  const { joseBearerVerifier } = await import('../jose-bearer.mjs');
  const verify = joseBearerVerifier(config);
  return async (req, res, next) => {
    let payload;
    try {
      payload = await verify(req.headers.authorization);
    } catch {
      res.status(401).set('www-authenticate', 'Bearer error="invalid_token"');
      res.json({ error: { code: 'authentication_failed' } });
      return;
    }
    req.auth = payload;
    next();
  };
}

/** @returns {Promise<{ port: number, close(): Promise<void> }>} */
export async function start(variant, config) {
  const app = express();
  if (variant === 'bare') app.get(config.path, ok);
  else if (variant === 'torii') {
    const { requireAuth } = await import('@torii/express');
    app.get(config.path, requireAuth({ issuer: config.issuer }), ok);
  } else if (variant === 'pass') {
    app.get(
      config.path,
      (req, _res, next) => {
        req.auth = null;
        next();
      },
      ok,
    );
  } else if (variant === 'peer') app.get(config.path, await joseMiddleware(config), ok);
  else if (variant === 'floor') {
    const { rawBearerCheck } = await import('../raw-bearer.mjs');
    const check = rawBearerCheck(config);
    app.get(
      config.path,
      (req, res, next) => {
        if (check(req.headers.authorization)) next();
        else res.status(401).json({ error: { code: 'authentication_failed' } });
      },
      ok,
    );
  } else throw new Error(`express: unknown variant ${variant}`);
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
