/**
 * Hono 4 on Node + `@torii/hono`: a health check that reports torii's status, the signed-in user,
 * and two admin routes that call the torii server API. Configured from env (`TORII_ISSUER`,
 * `TORII_SECRET_KEY`, `TORII_API_URL`, read by torii itself); `torii-dev` gives local values.
 * On Workers, give the issuer as a function of the context instead: `(c) => c.env.TORII_ISSUER`.
 */
import { serve } from '@hono/node-server';
import { ToriiClient } from '@torii/core';
import { authorize, claimEquals, requireAuth, ToriiApiError } from '@torii/hono';
import { Hono } from 'hono';

const torii = new ToriiClient(); // TORII_SECRET_KEY, and TORII_API_URL when set
const signedIn = requireAuth(); // the issuer from TORII_ISSUER

// `c.get('auth')` is typed by the middleware that ran: chained after requireAuth here, it is the
// user; a route without torii middleware has no `auth` at all.
const app = new Hono();

// Public, and reports the verifier: 503 until the issuer's keys are loaded.
app.get('/health', (c) => {
  const status = signedIn.status();
  return c.json({ ok: status.ready, torii: status }, status.ready ? 200 : 503);
});

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

// The startup check: fetch the issuer's keys now. Against a wrong issuer it logs one warning and
// the server starts anyway (requests get 503 and /health says why until the issuer answers).
await signedIn.ready();
serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' },
  (info) => {
    console.log(`listening on http://127.0.0.1:${info.port}`);
  },
);
