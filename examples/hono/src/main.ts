/**
 * Hono 4 on Node + `@torii/hono`: a public health check, the signed-in user, and two admin routes
 * that call the torii server API. Configured from env; `torii-dev` gives local values.
 */
import { serve } from '@hono/node-server';
import { ToriiClient } from '@torii/core';
import { authorize, claimEquals, requireAuth, ToriiApiError } from '@torii/hono';
import { Hono } from 'hono';

const { TORII_ISSUER: issuer, TORII_SECRET_KEY: secretKey, TORII_API_URL: apiUrl } = process.env;
if (!issuer || !secretKey) {
  console.error(
    'example-hono: set TORII_ISSUER and TORII_SECRET_KEY (and TORII_API_URL for a local API).\n' +
      'For a local torii, run `npx pnpm@12.4.2 exec torii-dev --seed` in another terminal, then the\n' +
      '`export TORII_ISSUER=… TORII_API_URL=… TORII_SECRET_KEY=…` line it prints, here.',
  );
  process.exit(1);
}

const torii = new ToriiClient({ secretKey, apiUrl: apiUrl || undefined });
const signedIn = requireAuth({ issuer });

// `c.get('auth')` is typed by the middleware that ran: chained after requireAuth here, it is the
// user; a route without torii middleware has no `auth` at all.
const app = new Hono();

app.get('/health', (c) => c.json({ ok: true }));

app.get('/me', signedIn, (c) => c.json(c.get('auth')));

// Every route of this sub-app: a signed-in user (verified once) whose `role` claim is "admin".
const admin = new Hono().use(signedIn, authorize(claimEquals('role', 'admin')));
admin.get('/users', async (c) => c.json(await torii.users.list({ limit: 20 })));
admin.post('/users/:id/ban', async (c) => c.json(await torii.users.ban(c.req.param('id'))));
app.route('/admin', admin);

// A torii API error (unknown user, bad secret key) becomes a JSON answer instead of a 500.
app.onError((err, c) => {
  if (err instanceof ToriiApiError) {
    return c.json(
      { error: { code: 'torii_api_error', status: err.status, message: err.message } },
      err.status === 404 ? 404 : 502,
    );
  }
  console.error(err);
  return c.json({ error: { code: 'internal_error', message: 'Internal Server Error' } }, 500);
});

serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' },
  (info) => {
    console.log(`listening on http://127.0.0.1:${info.port}`);
  },
);
