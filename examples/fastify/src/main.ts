/**
 * Fastify 5 + `@torii/fastify`: a health check that reports torii's status, the signed-in user,
 * and two admin routes that call the torii server API. Configured from env (`TORII_ISSUER`,
 * `TORII_SECRET_KEY`, `TORII_API_URL`, read by torii itself); `torii-dev` gives local values.
 * torii logs through Fastify's logger; its startup check runs in `onReady`, before `listen`.
 */
import { ToriiClient } from '@torii/core';
import { claimEquals, getAuth, ToriiApiError, toriiAuth } from '@torii/fastify';
import Fastify from 'fastify';

const torii = new ToriiClient(); // TORII_SECRET_KEY, and TORII_API_URL when set

// Warnings by default (a key set that cannot be fetched); every denial with TORII_DEBUG=1.
const app = Fastify({ logger: { level: process.env.TORII_DEBUG ? 'debug' : 'warn' } });

// `toriiAuth` protects the scope it is registered in; a route's `config.torii.authorize` adds a
// check of the user, run right after the token is verified (once).
app.register(async (api) => {
  await api.register(toriiAuth); // the issuer from TORII_ISSUER
  api.get('/me', async (request) => getAuth(request));
  // Public (opted out of torii), and reports the scope's verifier: 503 until the keys are loaded.
  api.get('/health', { config: { torii: false } }, async (_request, reply) => {
    const status = api.torii.status();
    return reply.code(status.ready ? 200 : 503).send({ ok: status.ready, torii: status });
  });

  const adminOnly = { config: { torii: { authorize: claimEquals('role', 'admin') } } };
  api.get('/admin/users', adminOnly, async () => torii.users.list({ limit: 20 }));
  api.post<{ Params: { id: string } }>('/admin/users/:id/ban', adminOnly, async (request) =>
    torii.users.ban(request.params.id),
  );
});

// A torii API error (unknown user, bad secret key) becomes a JSON answer instead of a 500.
app.setErrorHandler((err, _request, reply) => {
  if (!(err instanceof ToriiApiError)) return reply.send(err);
  return reply
    .status(err.status === 404 ? 404 : 502)
    .send({ error: { code: 'torii_api_error', status: err.status, message: err.message } });
});

const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on ${address}`);
