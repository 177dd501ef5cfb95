// Express 5: bare route, @torii/express requireAuth, and a jose snippet as middleware.

import { requireAuth } from '@torii/express';
import express from 'express';
import { joseBearerVerifier } from '../jose-bearer.mjs';
import { rawBearerCheck } from '../raw-bearer.mjs';

export const peerName = 'jose snippet (createLocalJWKSet + jwtVerify)';

const ok = (_req, res) => {
  res.json({ ok: true });
};

function joseMiddleware(config) {
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
  else if (variant === 'torii') app.get(config.path, requireAuth({ issuer: config.issuer }), ok);
  else if (variant === 'peer') app.get(config.path, joseMiddleware(config), ok);
  else if (variant === 'floor') {
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
