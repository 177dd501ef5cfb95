// ESM consumer of the packed tarballs: a real Express app, a real local issuer, real requests.
import { ToriiAuthError, verifyToken } from '@torii/core';
import { requireAuth } from '@torii/express';
import { createTestIssuer } from '@torii/testing';
import express from 'express';

const issuer = await createTestIssuer();
const app = express();
app.get('/me', requireAuth({ issuer: issuer.issuer }), (req, res) =>
  res.json({ userId: req.auth.userId }),
);
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${server.address().port}/me`;
try {
  const token = await issuer.sign({ sub: 'user_esm' });
  const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await ok.json();
  if (ok.status !== 200 || body.userId !== 'user_esm')
    throw new Error(`ESM: expected 200 user_esm, got ${ok.status}`);
  const denied = await fetch(url);
  if (denied.status !== 401) throw new Error(`ESM: expected 401, got ${denied.status}`);
  const auth = await verifyToken(token, { issuer: issuer.issuer });
  if (auth.userId !== 'user_esm') throw new Error('ESM: verifyToken');
  await verifyToken('x.y.z', { issuer: issuer.issuer }).then(
    () => {
      throw new Error('ESM: garbage token verified');
    },
    (err) => {
      if (!(err instanceof ToriiAuthError)) throw err;
    },
  );
  console.log('smoke ESM: ok');
} finally {
  server.close();
  await issuer.close();
}
