// CJS consumer of the packed tarballs (require of every package, Node >= 20.19).
const { verifyToken, ToriiAuthError, ToriiClient } = require('@torii/core');
const { requireAuth } = require('@torii/express');
const { createTestIssuer, createMockToriiApi } = require('@torii/testing');
const express = require('express');
for (const name of ['@torii/fastify', '@torii/hono', '@torii/koa', '@torii/nest']) {
  const mod = require(name);
  if (!mod || Object.keys(mod).length === 0) throw new Error(`CJS: ${name} exports nothing`);
}

(async () => {
  const issuer = await createTestIssuer();
  const api = await createMockToriiApi();
  const app = express();
  app.get('/me', requireAuth({ issuer: issuer.issuer }), (req, res) =>
    res.json({ userId: req.auth.userId }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${server.address().port}/me`;
  try {
    const token = await issuer.sign({ sub: 'user_cjs' });
    const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (ok.status !== 200 || (await ok.json()).userId !== 'user_cjs')
      throw new Error('CJS: expected 200');
    if ((await fetch(url)).status !== 401) throw new Error('CJS: expected 401');
    await verifyToken('x.y.z', { issuer: issuer.issuer }).then(
      () => {
        throw new Error('CJS: garbage token verified');
      },
      (err) => {
        if (!(err instanceof ToriiAuthError)) throw err;
      },
    );
    const torii = new ToriiClient({ secretKey: api.secretKey, apiUrl: api.url });
    const user = await torii.users.create({ email: 'cjs@example.com' });
    if ((await torii.users.get(user.id)).email !== 'cjs@example.com')
      throw new Error('CJS: REST round trip');
    console.log('smoke CJS: ok');
  } finally {
    server.close();
    await issuer.close();
    await api.close();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
