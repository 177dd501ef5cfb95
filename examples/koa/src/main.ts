/**
 * Koa 3 + `@torii/koa`: a public health check, the signed-in user, and two admin routes that call
 * the torii server API. Configured from env; `torii-dev` gives local values.
 */
import type { AddressInfo } from 'node:net';
import { ToriiClient } from '@torii/core';
import { authorize, claimEquals, getAuth, requireAuth, ToriiApiError } from '@torii/koa';
import Koa, { type Middleware, type ParameterizedContext } from 'koa';

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

/** A route without a router package: method and path pattern, the guards in order, the handler. */
function route<S>(
  method: string,
  path: RegExp,
  guards: Middleware<S>[],
  handler: (ctx: ParameterizedContext<S>, params: Record<string, string>) => unknown,
): Middleware<S> {
  return async (ctx, next) => {
    const match = ctx.method === method ? path.exec(ctx.path) : null;
    if (!match) return next();
    const run = async (index: number): Promise<void> => {
      const guard = guards[index];
      if (guard) return guard(ctx, () => run(index + 1));
      ctx.body = await handler(ctx, match.groups ?? {});
    };
    return run(0);
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

app.use(route('GET', /^\/health$/, [], () => ({ ok: true })));
app.use(route('GET', /^\/me$/, [signedIn], (ctx) => getAuth(ctx)));
app.use(
  route('GET', /^\/admin\/users$/, [signedIn, adminOnly], () => torii.users.list({ limit: 20 })),
);
app.use(
  route('POST', /^\/admin\/users\/(?<id>[^/]+)\/ban$/, [signedIn, adminOnly], (_ctx, { id = '' }) =>
    torii.users.ban(decodeURIComponent(id)),
  ),
);

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
