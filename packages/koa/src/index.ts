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
 * const auth = requireAuth({ issuer: 'https://acme.torii.so' }); // or TORII_ISSUER
 * app.use(auth);
 * app.use((ctx) => { ctx.body = { userId: ctx.state.auth?.userId } });
 * await auth.ready(); // startup check: fetch the issuer's keys (logs a warning if it cannot)
 * app.listen(3000);
 * ```
 *
 * @module
 */
import {
  type AdapterOptions,
  type AuthDenied,
  createAuthGuard,
  type ToriiAuth,
  type ToriiHealth,
} from '@torii/core';
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

export type { AuthDenied, ToriiAuth, ToriiHealth, VerifierStatus } from '@torii/core';

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

/**
 * What {@link requireAuth} and {@link optionalAuth} return: the Koa middleware, plus the health of
 * its verifier — `status()` for a `/health` route, `ready()` for the startup check.
 *
 * @example
 * ```ts
 * const auth = requireAuth({ issuer: 'https://acme.torii.so' });
 * await auth.ready(); // before app.listen()
 * const status = auth.status(); // { ready, issuer, keys, tokenCache }
 * ```
 */
export type ToriiMiddleware<S> = Middleware<S> & ToriiHealth;

/** The options @torii/koa adds to core's. */
const KOA_OPTIONS = ['onDenied'] as const;

function toriiMiddleware(
  options: ToriiKoaOptions | undefined,
  optional: boolean,
  name: string,
): ToriiMiddleware<ToriiOptionalState> {
  const onDenied = options?.onDenied;
  const guard = createAuthGuard<Context>({ ...options, optional }, { name, options: KOA_OPTIONS });
  const middleware: Middleware<ToriiOptionalState> = async (ctx, next) => {
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
  return Object.assign(middleware, { status: guard.status, ready: guard.ready });
}

/**
 * Middleware that lets only requests with a valid torii token through and sets `ctx.state.auth`.
 * Without a token: 401; invalid token: 401 `invalid_token`; `authorize` false: 403; issuer keys
 * unreachable: 503. Errors thrown by `authorize` or `getToken` propagate to Koa's error handling.
 * Options are validated here (a `ToriiConfigError` at startup, never per request, also for a
 * misspelt option name); the issuer defaults to `TORII_ISSUER`. The logger defaults to `console`
 * (one warning per key set outage; debug lines with `TORII_DEBUG=1`).
 *
 * @example
 * ```ts
 * const app = new Koa<ToriiState>();
 * app.use(requireAuth({ issuer, authorize: (auth) => auth.raw.role === 'admin' }));
 * ```
 */
export function requireAuth(options?: ToriiKoaOptions): ToriiMiddleware<ToriiState> {
  return toriiMiddleware(options, false, 'requireAuth()');
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
export function optionalAuth(options?: ToriiKoaOptions): ToriiMiddleware<ToriiOptionalState> {
  return toriiMiddleware(options, true, 'optionalAuth()');
}
