/**
 * Hono middleware for torii: `requireAuth()` / `optionalAuth()` verify the request's bearer token
 * with `@torii/core` and put the user in `c.get('auth')`; `authorize(check)` checks that user per
 * route without verifying again. No Node-only import: runs on Node, Bun, Deno and Cloudflare
 * Workers.
 *
 * `c.get('auth')` is typed by the middleware that ran, as with Hono's own typed middleware:
 * `ToriiAuth` in a route chained after `requireAuth()` (or in a sub-app that `use`s it),
 * `ToriiAuth | null` after `optionalAuth()`, and not there at all elsewhere.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { requireAuth } from '@torii/hono';
 *
 * const app = new Hono();
 * const auth = requireAuth({ issuer: 'https://acme.torii.so' }); // or TORII_ISSUER (not on Workers)
 * app.get('/me', auth, (c) => c.json({ userId: c.get('auth').userId }));
 * app.get('/health', (c) => c.json(auth.status()));
 * await auth.ready(); // startup check on Node, Bun, Deno: fetch the issuer's keys
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
  ToriiConfigError,
  type VerifierStatus,
} from '@torii/core';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { createMiddleware } from 'hono/factory';

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
 * The variables `requireAuth()` and `authorize()` set: `auth` is the verified user. Routes
 * chained after them (and sub-apps that `use` them) get this type by themselves; typing a whole
 * app `new Hono<{ Variables: ToriiVariables }>()` is a promise that every route runs
 * `requireAuth()` first, which the compiler cannot check.
 */
export type ToriiVariables = {
  /** The verified user. */
  auth: ToriiAuth;
};

/** The variables `optionalAuth()` sets: `auth` is `null` when the request carried no token. */
export type ToriiOptionalVariables = {
  /** The verified user, or `null` without a token. */
  auth: ToriiAuth | null;
};

/** Options of {@link requireAuth} and {@link optionalAuth}: core's adapter options plus the error hook. */
export interface ToriiHonoOptions extends Omit<AdapterOptions<Context>, 'optional' | 'issuer'> {
  /**
   * Your torii issuer URL, or a function of the context that returns it (on Workers, where config
   * arrives with the request: `(c) => c.env.TORII_ISSUER`). With a function, one verifier is kept
   * per issuer value and options are validated on the first request instead of at startup.
   *
   * @default the `TORII_ISSUER` environment variable on Node, Bun and Deno (Workers have no
   * process environment: give the function form there)
   */
  issuer?: string | ((c: Context) => string);
  /**
   * Replaces torii's error answer (401, 403 or 503): return a `Response` to send it instead, or
   * nothing to keep torii's answer. It receives the decision — `status`, `headers`, the JSON
   * `body` and the `error`.
   *
   * @default undefined (torii answers `c.json(denied.body, denied.status, denied.headers)`)
   * @example
   * ```ts
   * requireAuth({ issuer, onDenied: (denied, c) => c.redirect('/login') })
   * ```
   */
  onDenied?: (
    denied: AuthDenied,
    c: Context,
    // biome-ignore lint/suspicious/noConfusingVoidType: hooks that return nothing (sync or async) keep torii's answer
  ) => Response | undefined | void | Promise<Response | undefined | void>;
}

/**
 * The health of a middleware: `status()` for a `/health` route, `ready()` for the startup check
 * (see `ToriiHealth` in `@torii/core`). With a function `issuer`, pass the context (`status(c)`):
 * the status is that of the context's issuer.
 */
export interface ToriiHonoHealth {
  /** The verifier's status now: `ready`, the key set, the token cache. */
  status(c?: Context): VerifierStatus;
  /**
   * Fetches the issuer's key set: logs one warning and resolves when it cannot be fetched, or
   * rejects with `startup: 'fail'`.
   */
  ready(c?: Context): Promise<VerifierStatus>;
}

/** What {@link requireAuth} and {@link optionalAuth} return: the middleware and its health. */
export type ToriiMiddlewareHandler<V extends object> = MiddlewareHandler<{ Variables: V }> &
  ToriiHonoHealth;

type Guard = ReturnType<typeof createAuthGuard<Context>>;

/** Most distinct issuer values one middleware keeps a verifier for (function `issuer` only). */
const MAX_ISSUERS = 32;

/** The options @torii/hono adds to core's. */
const HONO_OPTIONS = ['onDenied'] as const;

function guardSource(
  options: ToriiHonoOptions | undefined,
  optional: boolean,
  name: string,
): (c: Context | undefined) => Guard {
  const issuer = options?.issuer;
  const declaration = { name, options: HONO_OPTIONS };
  if (typeof issuer !== 'function') {
    const guard = createAuthGuard<Context>({ ...options, issuer, optional }, declaration);
    return () => guard;
  }
  const guards = new Map<string, Guard>();
  return (c) => {
    if (c === undefined) {
      throw new ToriiConfigError(
        `torii: the issuer of this ${name} middleware is a function of the request context; pass the context to status(c) and ready(c).`,
      );
    }
    const value = issuer(c);
    let guard = guards.get(value);
    if (!guard) {
      if (guards.size >= MAX_ISSUERS) guards.delete(guards.keys().next().value ?? '');
      guard = createAuthGuard<Context>({ ...options, issuer: value, optional }, declaration);
      guards.set(value, guard);
    }
    return guard;
  };
}

type OnDenied = NonNullable<ToriiHonoOptions['onDenied']>;

/** The `onDenied` of the torii middleware that ran on a request, for its route checks. */
const hooks = new WeakMap<Context, OnDenied>();

/** The answer to a denial: `onDenied`'s `Response` when it gives one, else torii's JSON. */
async function deny(denied: AuthDenied, onDenied: OnDenied | undefined, c: Context) {
  const replaced = await onDenied?.(denied, c);
  return replaced ?? c.json(denied.body, denied.status, denied.headers);
}

/** What a torii middleware stored in `c` (`undefined` when none ran). */
function storedAuth(c: Context): ToriiAuth | null | undefined {
  return c.get('auth') as ToriiAuth | null | undefined;
}

/**
 * The Node `IncomingMessage` behind the request on `@hono/node-server` (`c.env.incoming`), else
 * `undefined`. Core reads its `rawHeaders` directly, where `c.req.raw.headers` would first build a
 * Web `Headers` view of them on every request.
 */
function nodeRequestOf(c: Context): { rawHeaders: string[] } | undefined {
  const incoming = (c.env as { incoming?: { rawHeaders?: unknown } } | undefined)?.incoming;
  return incoming !== undefined && Array.isArray(incoming.rawHeaders)
    ? (incoming as { rawHeaders: string[] })
    : undefined;
}

/**
 * The middleware of {@link requireAuth} and {@link optionalAuth}, with its health. It sets `auth`
 * to a `ToriiAuth`, or to `null` only when `optional`: each function narrows the type to what it
 * guarantees.
 */
function toriiMiddleware<V extends ToriiOptionalVariables>(
  options: ToriiHonoOptions | undefined,
  optional: boolean,
  name: string,
): ToriiMiddlewareHandler<V> {
  const guardFor = guardSource(options, optional, name);
  const onDenied = options?.onDenied;
  /** Lets the request through, or answers the denial. */
  function settle(
    decision: AuthDecision,
    c: Context<{ Variables: V }>,
    next: Next,
  ): Promise<Response | undefined> {
    if (decision.ok) {
      c.set('auth', decision.auth as V['auth']);
      return next().then(() => undefined);
    }
    return deny(decision, onDenied, c);
  }
  const middleware = createMiddleware<{ Variables: V }>((c, next) => {
    if (onDenied) hooks.set(c, onDenied);
    else hooks.delete(c);
    // A decision made without waiting (a cached token, or one verified synchronously by
    // node:crypto) goes on at once, without the promise and microtask turns of `decide`.
    let decision: AuthDecision | Promise<AuthDecision>;
    try {
      decision = guardFor(c).decideNow(c, nodeRequestOf(c) ?? c.req.raw);
    } catch (error) {
      return Promise.reject(error);
    }
    if (decision instanceof Promise) return decision.then((answer) => settle(answer, c, next));
    return settle(decision, c, next);
  });
  const health: ToriiHonoHealth = {
    status: (c) => guardFor(c).status(),
    ready: async (c) => guardFor(c).ready(),
  };
  return Object.assign(middleware, health);
}

/**
 * Middleware that lets only requests with a valid torii token through; `c.get('auth')` is the
 * user. Without a token: 401; invalid token: 401 `invalid_token`; `authorize` false: 403; issuer
 * keys unreachable: 503. Errors thrown by `authorize` or `getToken` go to `app.onError`.
 * A misspelt option name is a `ToriiConfigError` (at startup with a string issuer). The logger
 * defaults to `console` (one warning per key set outage; debug lines with `debug: true` or
 * `TORII_DEBUG=1`).
 *
 * @example
 * ```ts
 * app.get('/admin', requireAuth({ issuer, authorize: (auth) => auth.raw.role === 'admin' }), (c) => c.text('hi'));
 * ```
 */
export function requireAuth(options?: ToriiHonoOptions): ToriiMiddlewareHandler<ToriiVariables> {
  return toriiMiddleware<ToriiVariables>(options, false, 'requireAuth()');
}

/**
 * Like {@link requireAuth}, but a request without a token goes on with `c.get('auth') === null`.
 * A token that is present but invalid is still a 401.
 *
 * @example
 * ```ts
 * app.get('/feed', optionalAuth({ issuer }), (c) => c.json({ signedIn: c.get('auth') !== null }));
 * ```
 */
export function optionalAuth(
  options?: ToriiHonoOptions,
): ToriiMiddlewareHandler<ToriiOptionalVariables> {
  return toriiMiddleware<ToriiOptionalVariables>(options, true, 'optionalAuth()');
}

/**
 * A route-level check of the user an earlier {@link requireAuth} or {@link optionalAuth} put in
 * `c.get('auth')`: the token is not verified again. `check(auth, c)` returning `true` calls
 * `next()`; anything else answers torii's 403 `forbidden` (through that middleware's `onDenied`,
 * if it has one). After `optionalAuth` without a token the answer is the 401 of a missing token (a
 * check needs a user), so what follows it always has a `ToriiAuth`. Without torii middleware before
 * it, it throws a `ToriiError` that names the fix (to `app.onError`), as do errors thrown by
 * `check`.
 *
 * Compose the ready-made checks with {@link allOf} and {@link anyOf}.
 *
 * @throws {@link ToriiConfigError} at startup when `check` is not a function
 *
 * @example
 * ```ts
 * app.get('/admin', requireAuth({ issuer }), authorize((auth) => auth.raw.role === 'admin'), (c) => c.text('hi'));
 * app.delete('/account', requireAuth({ issuer }), authorize(allOf(emailVerified, notImpersonating)), handler);
 * ```
 */
export function authorize(
  check: AuthCheck<Context>,
): MiddlewareHandler<{ Variables: ToriiVariables }> {
  const routeCheck = createRouteCheck<Context>(check);
  return createMiddleware<{ Variables: ToriiVariables }>(async (c, next) => {
    const decision = await routeCheck.decide(storedAuth(c), c);
    if (decision.ok) {
      await next();
      return;
    }
    return deny(decision, hooks.get(c), c);
  });
}

/**
 * The torii user of a request, for handlers whose context is not typed by the middleware (a
 * handler written apart, a `new Hono()` route behind `app.use(path, requireAuth(…))`). Throws a
 * {@link ToriiError} that names the fix when no torii middleware ran on this request, and — unless
 * `{ optional: true }` — when there is no user (an `optionalAuth` route without a token). The
 * messages are the same in every torii adapter.
 *
 * @example
 * ```ts
 * app.use('/api/*', requireAuth({ issuer }));
 * app.get('/api/me', (c) => c.json({ userId: getAuth(c).userId }));
 * ```
 */
export function getAuth(c: Context): ToriiAuth;
export function getAuth(c: Context, options: GetAuthOptions): ToriiAuth | null;
export function getAuth(c: Context, options?: GetAuthOptions): ToriiAuth | null {
  return readAuth(storedAuth(c), options);
}
