/**
 * Koa 3 + `@torii/koa`: a health check that reports torii's status, the signed-in user, and two
 * admin routes that call the torii server API. Configured from env (`TORII_ISSUER`,
 * `TORII_SECRET_KEY`, `TORII_API_URL`, read by torii itself); `torii-dev` gives local values.
 */
import type { AddressInfo } from 'node:net';
import { ToriiApiError, type ToriiAuth, ToriiClient } from '@torii/core';
import { requireAuth } from '@torii/koa';
import Koa, { type Middleware, type ParameterizedContext } from 'koa';

const torii = new ToriiClient(); // TORII_SECRET_KEY, and TORII_API_URL when set
const isAdmin = (auth: ToriiAuth): boolean => auth.raw.role === 'admin';
const signedIn = requireAuth(); // the issuer from TORII_ISSUER
const admin = requireAuth({ authorize: isAdmin });

/** A route without a router package: method and path pattern, an optional guard, the handler. */
function route<S>(
  method: string,
  path: RegExp,
  guard: Middleware<S> | null,
  handler: (ctx: ParameterizedContext<S>, params: Record<string, string>) => unknown,
): Middleware<S> {
  return async (ctx, next) => {
    const match = ctx.method === method ? path.exec(ctx.path) : null;
    if (!match) return next();
    const run = async () => {
      ctx.body = await handler(ctx, match.groups ?? {});
    };
    return guard ? guard(ctx, run) : run();
  };
}

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

// Public, and reports the verifier: 503 until the issuer's keys are loaded.
app.use(
  route('GET', /^\/health$/, null, (ctx) => {
    const status = signedIn.status();
    ctx.status = status.ready ? 200 : 503;
    return { ok: status.ready, torii: status };
  }),
);
app.use(route('GET', /^\/me$/, signedIn, (ctx) => ctx.state.auth));
app.use(route('GET', /^\/admin\/users$/, admin, () => torii.users.list({ limit: 20 })));
app.use(
  route('POST', /^\/admin\/users\/(?<id>[^/]+)\/ban$/, admin, (_ctx, { id = '' }) =>
    torii.users.ban(decodeURIComponent(id)),
  ),
);

// The startup check: fetch the issuer's keys now. Against a wrong issuer it logs one warning and
// the server starts anyway (requests get 503 and /health says why until the issuer answers).
await signedIn.ready();
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
