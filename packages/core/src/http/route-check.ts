/**
 * What adapters do with the auth an earlier torii middleware put on a request: read it
 * ({@link readAuth}, behind every adapter's `getAuth`) and check it per route
 * ({@link createRouteCheck}, behind `authorize(check)`), without verifying the token again.
 *
 * @module
 */
import type { ToriiAuth } from '../auth.js';
import { ToriiAuthError, ToriiError } from '../errors.js';
import { isPromiseLike, type MaybePromise } from '../shared/maybe-promise.js';
import { checkFunction, failOption } from '../shared/option-checks.js';
import type { AuthCheck } from './checks.js';
import { AUTH_FAILURE_MESSAGES, denialFor, forbidden } from './denials.js';
import type { AuthDecision } from './types.js';

/**
 * The message of the {@link ToriiError} thrown when code reads the auth of a request on which no
 * torii middleware ran (a wiring mistake): the same in every adapter.
 */
export const NO_TORII_AUTH_MESSAGE =
  'torii: no torii middleware ran on this request, so it has no auth to read. Put torii in front ' +
  'of this code: requireAuth() or optionalAuth() before it (Express, Hono, Koa); toriiAuth ' +
  'registered in the route’s scope, without config { torii: false } (Fastify); ToriiGuard, ' +
  'without @Public() (Nest).';

/**
 * The message of the {@link ToriiError} thrown when code requires the user of a request that has
 * none (optional auth, and no token came): the same in every adapter.
 */
export const NO_SIGNED_IN_USER_MESSAGE =
  'torii: this request has no signed-in user (its auth is optional and no token was sent). ' +
  'Require auth on this route, or read the auth as optional (getAuth(request, { optional: true })) ' +
  'and handle null.';

/** Options of {@link readAuth} and of every adapter's `getAuth`. */
export interface GetAuthOptions {
  /** Return `null` instead of throwing when the request has no user (an optional-auth route). */
  optional: true;
}

/**
 * The auth an adapter stored for a request, for `getAuth`: the {@link ToriiAuth}; `null` with
 * `{ optional: true }` when optional auth saw no token. Throws a {@link ToriiError} with
 * {@link NO_TORII_AUTH_MESSAGE} when `stored` is `undefined` (no torii middleware ran), and with
 * {@link NO_SIGNED_IN_USER_MESSAGE} when it is `null` without `{ optional: true }`.
 *
 * @example
 * ```ts
 * export const getAuth = (req: Request) => readAuth(req.auth);
 * ```
 */
export function readAuth(stored: ToriiAuth | null | undefined): ToriiAuth;
export function readAuth(
  stored: ToriiAuth | null | undefined,
  options: GetAuthOptions,
): ToriiAuth | null;
export function readAuth(
  stored: ToriiAuth | null | undefined,
  options?: GetAuthOptions,
): ToriiAuth | null;
export function readAuth(
  stored: ToriiAuth | null | undefined,
  options?: GetAuthOptions,
): ToriiAuth | null {
  if (stored === undefined) throw new ToriiError(NO_TORII_AUTH_MESSAGE);
  if (stored === null && options?.optional !== true) {
    throw new ToriiError(NO_SIGNED_IN_USER_MESSAGE);
  }
  return stored;
}

/** The 401 of a request without a token: what a route check answers when there is no user. */
function noUser(): AuthDecision {
  return denialFor(new ToriiAuthError('token_missing', AUTH_FAILURE_MESSAGES.token_missing));
}

/**
 * Runs `check` on a verified user: `{ ok: true, auth }` when it returns `true`, else the 403
 * `forbidden` answer; `null` (no user) is the 401 of a missing token, without calling it. Errors
 * thrown by `check` reject.
 */
export async function judgeUser<TRequest>(
  check: AuthCheck<TRequest>,
  auth: ToriiAuth | null,
  request: TRequest,
): Promise<AuthDecision> {
  return judgeUserNow(check, auth, request);
}

/**
 * {@link judgeUser}, answering now when `check` does (it returns a boolean, not a promise):
 * the decision itself, else a promise of it. Errors thrown by `check` throw (or reject).
 */
export function judgeUserNow<TRequest>(
  check: AuthCheck<TRequest>,
  auth: ToriiAuth | null,
  request: TRequest,
): MaybePromise<AuthDecision> {
  if (auth === null) return noUser();
  const verdict = check(auth, request);
  if (isPromiseLike(verdict)) {
    return Promise.resolve(verdict).then((answer) =>
      answer === true ? { ok: true, auth } : forbidden(),
    );
  }
  return verdict === true ? { ok: true, auth } : forbidden();
}

/** A route-level check built once by {@link createRouteCheck}. */
export interface RouteCheck<TRequest> {
  /**
   * Judges the auth an earlier torii middleware stored for this request, never verifying again:
   *
   * | `auth` | answer |
   * |---|---|
   * | a user the check says `true` to | `{ ok: true, auth }` |
   * | a user it says anything else to | 403 `forbidden` (the guard's exact answer) |
   * | `null` (optional auth, no token) | 401 `www-authenticate: Bearer`, the check is not called |
   * | `undefined` (no torii middleware ran) | rejects with a {@link ToriiError}: {@link NO_TORII_AUTH_MESSAGE} |
   *
   * Errors thrown by the check reject, for the adapter to pass to the framework's error path.
   */
  decide(auth: ToriiAuth | null | undefined, request: TRequest): Promise<AuthDecision>;
}

/**
 * Validates `check` once (a {@link ToriiConfigError} at startup when it is not a function) and
 * returns the per-request decision of an adapter's route-level `authorize(check)`: it reads the
 * auth an earlier `requireAuth`/`optionalAuth` stored and never verifies the token again.
 *
 * @throws {@link ToriiConfigError} when `check` is not a function
 *
 * @example
 * ```ts
 * const admin = createRouteCheck<Request>((auth) => auth.raw.role === 'admin');
 * const decision = await admin.decide(req.auth, req);
 * if (!decision.ok) res.status(decision.status).set(decision.headers).json(decision.body);
 * ```
 */
export function createRouteCheck<TRequest>(check: AuthCheck<TRequest>): RouteCheck<TRequest> {
  if (check === undefined) {
    failOption(
      'authorize() takes a check (auth, request) => boolean | Promise<boolean> (got undefined).',
    );
  }
  checkFunction(
    check,
    'the check given to authorize()',
    '(auth, request) => boolean | Promise<boolean>',
  );
  return Object.freeze({
    decide(auth: ToriiAuth | null | undefined, request: TRequest): Promise<AuthDecision> {
      if (auth === undefined) return Promise.reject(new ToriiError(NO_TORII_AUTH_MESSAGE));
      return judgeUser(check, auth, request);
    },
  });
}
