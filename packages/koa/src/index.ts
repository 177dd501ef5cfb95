/**
 * Koa middleware for torii: `requireAuth()` / `optionalAuth()` verify the request's bearer token
 * with `@torii/core` and put the user on `ctx.state.auth`. Works with Koa 3 and 2.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { requireAuth } from '@torii/koa';
 *
 * const app = new Koa();
 * app.use(requireAuth({ issuer: 'https://acme.torii.so' }));
 * app.use((ctx) => { ctx.body = { userId: ctx.state.auth?.userId } });
 * ```
 *
 * @module
 */
import { type AdapterOptions, type AuthDenied, createAuthGuard, type ToriiAuth } from '@torii/core';
import type { Context, Middleware } from 'koa';

declare module 'koa' {
  interface DefaultState {
    /**
     * The torii user: set by `requireAuth()` (a {@link ToriiAuth}) and `optionalAuth()` (`null`
     * without a token); `undefined` when no torii middleware ran.
     */
    auth?: ToriiAuth | null;
  }
}

export type { AuthDenied, ToriiAuth } from '@torii/core';

/**
 * The state `requireAuth()` guarantees, for apps typed as `new Koa<ToriiState>()` or routers
 * typed with it. (Plain `new Koa()` apps get `ctx.state.auth` through `DefaultState`.)
 */
export interface ToriiState {
  /** The verified user. */
  auth: ToriiAuth;
}

/** The state `optionalAuth()` guarantees: `auth` is `null` without a token. */
export interface ToriiOptionalState {
  /** The verified user, or `null` when the request carried no token. */
  auth: ToriiAuth | null;
}

/** Options of {@link requireAuth} and {@link optionalAuth}: core's adapter options plus the error hook. */
export interface ToriiKoaOptions extends Omit<AdapterOptions<Context>, 'optional'> {
  /**
   * Replaces torii's error answer (401, 403 or 503): set `ctx.status` and `ctx.body` yourself,
   * or throw (`ctx.throw(...)`) to hand it to Koa's error handling. It receives the decision —
   * `status`, `headers`, the JSON `body` and the `error`.
   *
   * @default undefined (torii sets `ctx.status`, every header and `ctx.body` from the decision)
   * @example
   * ```ts
   * requireAuth({ issuer, onDenied: (denied, ctx) => { ctx.status = denied.status; ctx.body = { message: 'Sign in first' } } })
   * ```
   */
  onDenied?: (denied: AuthDenied, ctx: Context) => unknown;
}

function toriiMiddleware(
  options: ToriiKoaOptions,
  optional: boolean,
): Middleware<ToriiOptionalState> {
  const { onDenied, ...adapterOptions } = options;
  const guard = createAuthGuard<Context>({ ...adapterOptions, optional });
  return async (ctx, next) => {
    const decision = await guard.decide(ctx, ctx.req);
    if (decision.ok) {
      ctx.state.auth = decision.auth;
      return next();
    }
    if (onDenied) {
      await onDenied(decision, ctx);
      return;
    }
    ctx.status = decision.status;
    ctx.set(decision.headers);
    ctx.body = decision.body;
  };
}

/**
 * Middleware that lets only requests with a valid torii token through and sets `ctx.state.auth`.
 * Without a token: 401; invalid token: 401 `invalid_token`; `authorize` false: 403; issuer keys
 * unreachable: 503. Errors thrown by `authorize` or `getToken` propagate to Koa's error handling.
 * Options are validated here (a `ToriiConfigError` at startup, never per request).
 *
 * With `@koa/router`, put it in front of the handler (`router.get('/me', requireAuth(…), handler)`),
 * before the router (`app.use`), or in the `use()` of a router created with `sensitive: true`;
 * never in the `use()` of a case-insensitive prefixed router, which `/API/me` passes by (the
 * README's pitfall).
 *
 * @example
 * ```ts
 * const app = new Koa<ToriiState>();
 * app.use(requireAuth({ issuer, authorize: (auth) => auth.raw.role === 'admin' }));
 * ```
 */
export function requireAuth(options: ToriiKoaOptions): Middleware<ToriiState> {
  return toriiMiddleware(options, false);
}

/**
 * Like {@link requireAuth}, but a request without a token goes on with `ctx.state.auth === null`.
 * A token that is present but invalid is still a 401.
 *
 * @example
 * ```ts
 * app.use(optionalAuth({ issuer }));
 * app.use((ctx) => { ctx.body = { signedIn: ctx.state.auth !== null } });
 * ```
 */
export function optionalAuth(options: ToriiKoaOptions): Middleware<ToriiOptionalState> {
  return toriiMiddleware(options, true);
}
