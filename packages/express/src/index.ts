/**
 * Express middleware for torii: `requireAuth()` / `optionalAuth()` verify the request's bearer
 * token with `@torii/core` and put the user on `req.auth`; `authorize(check)` checks that user per
 * route without verifying again. Works with Express 5 and 4.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { authorize, claimEquals, getAuth, requireAuth } from '@torii/express';
 *
 * const app = express();
 * const auth = requireAuth({ issuer: 'https://acme.torii.so' }); // or TORII_ISSUER
 * app.use('/api', auth);
 * app.get('/api/me', (req, res) => res.json({ userId: getAuth(req).userId }));
 * app.get('/api/admin', authorize(claimEquals('role', 'admin')), (req, res) => res.json({ ok: true }));
 * app.get('/health', (_req, res) => res.json(auth.status()));
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
import type { NextFunction, Request, RequestHandler, Response } from 'express';

declare global {
  namespace Express {
    interface Request {
      /**
       * The torii user: set by `requireAuth()` (a {@link ToriiAuth}) and `optionalAuth()` (`null`
       * without a token); `undefined` when no torii middleware ran on this request. Read it with
       * `getAuth(req)`, which says which of these went wrong.
       */
      auth?: ToriiAuth | null;
    }
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

/** Options of {@link requireAuth} and {@link optionalAuth}: core's adapter options plus the error hook. */
export interface ToriiExpressOptions extends Omit<AdapterOptions<Request>, 'optional'> {
  /**
   * Replaces torii's error answer (401, 403 or 503). It receives the decision — `status`,
   * `headers`, the JSON `body` and the `error` — and writes its own answer, or calls `next(err)`
   * (or `next()` to let the request go on with `req.auth === null`).
   *
   * @default undefined (torii writes `denied.status`, `denied.headers` and `denied.body` as JSON)
   * @example
   * ```ts
   * requireAuth({ issuer, onDenied: (denied, req, res) => res.status(denied.status).json({ message: 'Sign in first' }) })
   * ```
   */
  onDenied?: (denied: AuthDenied, req: Request, res: Response, next: NextFunction) => unknown;
}

type OnDenied = NonNullable<ToriiExpressOptions['onDenied']>;

/** The `onDenied` of the torii middleware that ran on a request, for its route checks. */
const hooks = new WeakMap<Request, OnDenied>();

/** Writes a denial: through `onDenied` when there is one, else torii's JSON answer. */
async function deny(
  denied: AuthDenied,
  onDenied: OnDenied | undefined,
  req: Request,
  res: Response,
  next: NextFunction,
): Promise<unknown> {
  if (onDenied) return await onDenied(denied, req, res, next);
  res.status(denied.status).set(denied.headers).json(denied.body);
}

/**
 * What {@link requireAuth} and {@link optionalAuth} return: the Express middleware, plus the
 * health of its verifier — `status()` for a `/health` route, `ready()` for the startup check.
 *
 * @example
 * ```ts
 * const auth = requireAuth({ issuer: 'https://acme.torii.so' });
 * app.get('/health', (_req, res) => {
 *   const status = auth.status();
 *   res.status(status.ready ? 200 : 503).json(status);
 * });
 * await auth.ready(); // before app.listen()
 * ```
 */
export type ToriiRequestHandler = RequestHandler & ToriiHealth;

/** The options @torii/express adds to core's. */
const EXPRESS_OPTIONS = ['onDenied'] as const;

function toriiMiddleware(
  options: ToriiExpressOptions | undefined,
  optional: boolean,
  name: string,
): ToriiRequestHandler {
  const onDenied = options?.onDenied;
  const guard = createAuthGuard<Request>(
    { ...options, optional },
    { name, options: EXPRESS_OPTIONS },
  );
  /** Lets the request through, or answers the denial. */
  function settle(decision: AuthDecision, req: Request, res: Response, next: NextFunction): void {
    if (decision.ok) {
      req.auth = decision.auth;
      next();
      return;
    }
    req.auth = null;
    deny(decision, onDenied, req, res, next).catch(next);
  }
  const handler: RequestHandler = (req, res, next) => {
    if (onDenied) hooks.set(req, onDenied);
    else hooks.delete(req);
    // A decision made without waiting (a cached token, or one verified synchronously by
    // node:crypto) goes on at once, with no promise and no microtask turn.
    let decision: AuthDecision | Promise<AuthDecision>;
    try {
      decision = guard.decideNow(req);
    } catch (error) {
      next(error);
      return;
    }
    if (decision instanceof Promise) {
      decision.then((answer) => settle(answer, req, res, next)).catch(next);
    } else {
      settle(decision, req, res, next);
    }
  };
  return Object.assign(handler, { status: guard.status, ready: guard.ready });
}

/**
 * Middleware that lets only requests with a valid torii token through and sets `req.auth`.
 * Without a token: 401; invalid token: 401 `invalid_token`; `authorize` false: 403; issuer keys
 * unreachable: 503. Errors thrown by `authorize` or `getToken` go to `next(err)`.
 * Options are validated here (a `ToriiConfigError` at startup, never per request, also for a
 * misspelt option name); the issuer defaults to `TORII_ISSUER`. The logger defaults to `console`
 * (one warning per key set outage; debug lines with `TORII_DEBUG=1`).
 *
 * @example
 * ```ts
 * app.get('/admin', requireAuth({ issuer, authorize: (auth) => auth.raw.role === 'admin' }), handler);
 * ```
 */
export function requireAuth(options?: ToriiExpressOptions): ToriiRequestHandler {
  return toriiMiddleware(options, false, 'requireAuth()');
}

/**
 * Like {@link requireAuth}, but a request without a token goes on with `req.auth === null`.
 * A token that is present but invalid is still a 401.
 *
 * @example
 * ```ts
 * app.get('/feed', optionalAuth({ issuer }), (req, res) => res.json({ signedIn: req.auth !== null }));
 * ```
 */
export function optionalAuth(options?: ToriiExpressOptions): ToriiRequestHandler {
  return toriiMiddleware(options, true, 'optionalAuth()');
}

/**
 * A route-level check of the user an earlier {@link requireAuth} or {@link optionalAuth} put on
 * `req.auth`: the token is not verified again. `check(auth, req)` returning `true` lets the
 * request go on; anything else answers torii's 403 `forbidden` (through that middleware's
 * `onDenied`, if it has one). On an `optionalAuth` route without a token the answer is the 401 of a
 * missing token (a check needs a user). Without torii middleware before it, it passes a
 * `ToriiError` that names the fix to `next(err)`; errors thrown by `check` go to `next(err)` too.
 *
 * Compose the ready-made checks with {@link allOf} and {@link anyOf}.
 *
 * @throws {@link ToriiConfigError} at startup when `check` is not a function
 *
 * @example
 * ```ts
 * app.use('/api', requireAuth({ issuer }));
 * app.get('/api/admin', authorize((auth) => auth.raw.role === 'admin'), handler);
 * app.delete('/api/account', authorize(allOf(emailVerified, notImpersonating)), handler);
 * ```
 */
export function authorize(check: AuthCheck<Request>): RequestHandler {
  const routeCheck = createRouteCheck<Request>(check);
  return (req, res, next) => {
    routeCheck
      .decide(req.auth, req)
      .then(async (decision) => {
        if (decision.ok) return next();
        return await deny(decision, hooks.get(req), req, res, next);
      })
      .catch(next);
  };
}

/**
 * The torii user of a request. Throws a {@link ToriiError} that names the fix when no torii
 * middleware ran on this request (a wiring mistake), and — unless `{ optional: true }` — when there
 * is no user (an `optionalAuth` route without a token). The messages are the same in every torii
 * adapter.
 *
 * @example
 * ```ts
 * app.get('/me', requireAuth({ issuer }), (req, res) => res.json({ userId: getAuth(req).userId }));
 * app.get('/feed', optionalAuth({ issuer }), (req, res) => res.json(getAuth(req, { optional: true })));
 * ```
 */
export function getAuth(req: Request): ToriiAuth;
export function getAuth(req: Request, options: GetAuthOptions): ToriiAuth | null;
export function getAuth(req: Request, options?: GetAuthOptions): ToriiAuth | null {
  return readAuth(req.auth, options);
}
