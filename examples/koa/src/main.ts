/**
 * Koa 3 + `@koa/router` + `@torii/koa`: a health check that reports torii's status, the signed-in
 * user, and two admin routes that call the torii server API. Configured from env (`TORII_ISSUER`,
 * `TORII_SECRET_KEY`, `TORII_API_URL`, read by torii itself); `torii-dev` gives local values.
 */
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { ToriiClient } from '@torii/core';
import { authorize, claimEquals, getAuth, requireAuth, ToriiApiError } from '@torii/koa';
import Koa from 'koa';

const torii = new ToriiClient(); // TORII_SECRET_KEY, and TORII_API_URL when set
const signedIn = requireAuth(); // the issuer from TORII_ISSUER
/** After signedIn: checks the user it set, without verifying the token again. */
const adminOnly = authorize(claimEquals('role', 'admin'));

const app = new Koa();

// A torii API error (unknown user, bad secret key) becomes a JSON answer instead of a 500.
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!(err instanceof ToriiApiError)) throw err;
    ctx.status = err.status === 404 ? 404 : 502;
    ctx.body = { error: { code: 'torii_api_error', status: err.status, message: err.message } };
  }
});

// Each guard sits in front of its handler, so it runs whenever the handler does.
const routes = new Router();
// Public, and reports the verifier: 503 until the issuer's keys are loaded.
routes.get('/health', (ctx) => {
  const status = signedIn.status();
  ctx.status = status.ready ? 200 : 503;
  ctx.body = { ok: status.ready, torii: status };
});
routes.get('/me', signedIn, (ctx) => {
  ctx.body = getAuth(ctx);
});

// Not `adminRoutes.use(signedIn)`: on a prefixed router, `use()` is skipped for `/ADMIN/users`
// while the route still matches (the pitfall in @torii/koa's README). The guards go on each route.
const adminRoutes = new Router({ prefix: '/admin' });
adminRoutes.get('/users', signedIn, adminOnly, async (ctx) => {
  ctx.body = await torii.users.list({ limit: 20 });
});
adminRoutes.post('/users/:id/ban', signedIn, adminOnly, async (ctx) => {
  ctx.body = await torii.users.ban(ctx.params.id ?? '');
});

app.use(routes.routes());
app.use(adminRoutes.routes());

// The startup check: fetch the issuer's keys now. Against a wrong issuer it logs one warning and
// the server starts anyway (requests get 503 and /health says why until the issuer answers).
await signedIn.ready();
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
