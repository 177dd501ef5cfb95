/**
 * Koa middleware for torii: `requireAuth()` / `optionalAuth()` verify the request's bearer token
 * with `@torii/core` and put the user on `ctx.state.auth`; `authorize(check)` checks that user per
 * route without verifying again. Works with Koa 3 and 2.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { getAuth, requireAuth } from '@torii/koa';
 *
 * const app = new Koa();
 * const auth = requireAuth({ issuer: 'https://acme.torii.so' }); // or TORII_ISSUER
 * app.use(auth);
 * app.use((ctx) => { ctx.body = { userId: getAuth(ctx).userId } });
 * await auth.ready(); // startup check: fetch the issuer's keys (logs a warning if it cannot)
 * app.listen(3000);
 * ```
 *
 * @module
 */
import {
  type AdapterOptions,
  type AuthCheck,
  type AuthDecision,
  type AuthDenied,
  createAuthGuard,
  createRouteCheck,
  type GetAuthOptions,
  readAuth,
  type ToriiAuth,
  type ToriiHealth,
} from '@torii/core';
import type { Context, Middleware, Next } from 'koa';

declare module 'koa' {
  interface DefaultState {
    /**
     * The torii user: set by `requireAuth()` (a {@link ToriiAuth}) and `optionalAuth()` (`null`
     * without a token); `undefined` when no torii middleware ran.
     */
    auth?: ToriiAuth | null;
  }
}

export type {
  AuthCheck,
  AuthDenied,
  ClaimEqualsValue,
  ClaimIncludesValue,
  ClaimScalar,
  GetAuthOptions,
  ToriiAuth,
  ToriiAuthErrorCode,
  ToriiCustomClaims,
  ToriiErrorBody,
  ToriiHealth,
  ToriiJwtPayload,
  VerifierStatus,
} from '@torii/core';
export {
  allOf,
  anyOf,
  claimEquals,
  claimIncludes,
  emailVerified,
  environment,
  notImpersonating,
  profileComplete,
  ToriiApiError,
  ToriiAuthError,
  ToriiConfigError,
  ToriiError,
} from '@torii/core';

/**
 * The state `requireAuth()` and `authorize()` guarantee to the middleware after them. Chaining
 * (`app.use(requireAuth(…)).use((ctx) => …)`) types `ctx.state.auth` from it; typing a whole app
 * `new Koa<ToriiState>()` is a promise that `requireAuth()` runs before every middleware.
 * (Plain `new Koa()` apps get `ctx.state.auth` through `DefaultState`, possibly `null` or
 * `undefined`.)
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

type OnDenied = NonNullable<ToriiKoaOptions['onDenied']>;

/** The `onDenied` of the torii middleware that ran on a request, for its route checks. */
const hooks = new WeakMap<object, OnDenied>();

/** Writes a denial: through `onDenied` when there is one, else torii's JSON answer. */
async function deny(denied: AuthDenied, onDenied: OnDenied | undefined, ctx: Context) {
  if (onDenied) {
    await onDenied(denied, ctx);
    return;
  }
  ctx.status = denied.status;
  ctx.set(denied.headers);
  ctx.body = denied.body;
}

function toriiMiddleware(
  options: ToriiKoaOptions | undefined,
  optional: boolean,
  name: string,
): ToriiMiddleware<ToriiOptionalState> {
  const onDenied = options?.onDenied;
  const guard = createAuthGuard<Context>({ ...options, optional }, { name, options: KOA_OPTIONS });
  /** Lets the request through, or answers the denial. */
  function settle(decision: AuthDecision, ctx: Context, next: Next): Promise<unknown> {
    if (decision.ok) {
      ctx.state.auth = decision.auth;
      return next();
    }
    return deny(decision, onDenied, ctx);
  }
  const middleware: Middleware<ToriiOptionalState> = (ctx, next) => {
    if (onDenied) hooks.set(ctx, onDenied);
    else hooks.delete(ctx);
    // A decision made without waiting (a cached token, or one verified synchronously by
    // node:crypto) goes on at once, without the promise and microtask turns of `decide`.
    let decision: AuthDecision | Promise<AuthDecision>;
    try {
      decision = guard.decideNow(ctx, ctx.req);
    } catch (error) {
      return Promise.reject(error);
    }
    if (decision instanceof Promise) return decision.then((answer) => settle(answer, ctx, next));
    return settle(decision, ctx, next);
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

/**
 * A route-level check of the user an earlier {@link requireAuth} or {@link optionalAuth} put on
 * `ctx.state.auth`: the token is not verified again. `check(auth, ctx)` returning `true` calls
 * `next()`; anything else answers torii's 403 `forbidden` (through that middleware's `onDenied`,
 * if it has one). After `optionalAuth` without a token the answer is the 401 of a missing token
 * (a check needs a user), so what follows it always has a user. Without torii middleware before
 * it, it throws a `ToriiError` that names the fix; errors thrown by `check` propagate too.
 *
 * Compose the ready-made checks with {@link allOf} and {@link anyOf}.
 *
 * @throws {@link ToriiConfigError} at startup when `check` is not a function
 *
 * @example
 * ```ts
 * router.get('/admin', requireAuth({ issuer }), authorize((auth) => auth.raw.role === 'admin'), handler);
 * router.delete('/account', requireAuth({ issuer }), authorize(allOf(emailVerified, notImpersonating)), handler);
 * ```
 */
export function authorize(check: AuthCheck<Context>): Middleware<ToriiState> {
  const routeCheck = createRouteCheck<Context>(check);
  return async (ctx, next) => {
    const context = ctx as unknown as Context;
    const decision = await routeCheck.decide(storedAuth(context), context);
    if (decision.ok) return next();
    await deny(decision, hooks.get(ctx), context);
  };
}

/** What a torii middleware stored in `ctx.state` (`undefined` when none ran). */
function storedAuth(ctx: { state: unknown }): ToriiAuth | null | undefined {
  return (ctx.state as { auth?: ToriiAuth | null } | undefined)?.auth;
}

/** A Koa context, typed or not: all {@link getAuth} reads is `ctx.state.auth`. */
export interface ToriiContextLike {
  state: { auth?: ToriiAuth | null | undefined };
}

/**
 * The torii user of a request. Throws a {@link ToriiError} that names the fix when no torii
 * middleware ran on this request (a wiring mistake), and — unless `{ optional: true }` — when there
 * is no user (an `optionalAuth` route without a token). The messages are the same in every torii
 * adapter.
 *
 * @example
 * ```ts
 * router.get('/me', requireAuth({ issuer }), (ctx) => { ctx.body = { userId: getAuth(ctx).userId } });
 * router.get('/feed', optionalAuth({ issuer }), (ctx) => { ctx.body = { auth: getAuth(ctx, { optional: true }) } });
 * ```
 */
export function getAuth(ctx: ToriiContextLike): ToriiAuth;
export function getAuth(ctx: ToriiContextLike, options: GetAuthOptions): ToriiAuth | null;
export function getAuth(ctx: ToriiContextLike, options?: GetAuthOptions): ToriiAuth | null {
  return readAuth(storedAuth(ctx), options);
}
