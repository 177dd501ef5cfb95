/**
 * Koa 3 + `@koa/router` + `@torii/koa`: a public health check, the signed-in user, and two admin
 * routes that call the torii server API. Configured from env; `torii-dev` gives local values.
 */
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { ToriiClient } from '@torii/core';
import { authorize, claimEquals, getAuth, requireAuth, ToriiApiError } from '@torii/koa';
import Koa from 'koa';

const { TORII_ISSUER: issuer, TORII_SECRET_KEY: secretKey, TORII_API_URL: apiUrl } = process.env;
if (!issuer || !secretKey) {
  console.error(
    'example-koa: set TORII_ISSUER and TORII_SECRET_KEY (and TORII_API_URL for a local API).\n' +
      'For a local torii, run `npx pnpm@12.4.2 exec torii-dev --seed` in another terminal, then the\n' +
      '`export TORII_ISSUER=… TORII_API_URL=… TORII_SECRET_KEY=…` line it prints, here.',
  );
  process.exit(1);
}

const torii = new ToriiClient({ secretKey, apiUrl: apiUrl || undefined });
const signedIn = requireAuth({ issuer });
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
routes.get('/health', (ctx) => {
  ctx.body = { ok: true };
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

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
