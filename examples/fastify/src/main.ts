/**
 * Fastify 5 + `@torii/fastify`: a public health check, the signed-in user, and two admin routes
 * that call the torii server API. Configured from env; `torii-dev` gives local values.
 */
import { ToriiClient } from '@torii/core';
import { claimEquals, getAuth, ToriiApiError, toriiAuth } from '@torii/fastify';
import Fastify from 'fastify';

const { TORII_ISSUER: issuer, TORII_SECRET_KEY: secretKey, TORII_API_URL: apiUrl } = process.env;
if (!issuer || !secretKey) {
  console.error(
    'example-fastify: set TORII_ISSUER and TORII_SECRET_KEY (and TORII_API_URL for a local API).\n' +
      'For a local torii, run `npx pnpm@12.4.2 exec torii-dev --seed` in another terminal, then the\n' +
      '`export TORII_ISSUER=… TORII_API_URL=… TORII_SECRET_KEY=…` line it prints, here.',
  );
  process.exit(1);
}

const torii = new ToriiClient({ secretKey, apiUrl: apiUrl || undefined });
const app = Fastify();

app.get('/health', async () => ({ ok: true }));

// `toriiAuth` protects the scope it is registered in; a route's `config.torii.authorize` adds a
// check of the user, run right after the token is verified (once).
app.register(async (api) => {
  await api.register(toriiAuth, { issuer });
  api.get('/me', async (request) => getAuth(request));

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
