/**
 * `createAuthGuard`: the one entry of the HTTP layer for adapters. Built once per middleware
 * instance, it reads the token, verifies it and decides what the adapter answers.
 *
 * @module
 */
import type { ToriiAuth } from '../auth.js';
import { ToriiAuthError } from '../errors.js';
import type { ToriiLogger, VerifierStatus } from '../observability.js';
import type {
  AdapterOptions,
  DecisionOptions,
  DecisionOverrides,
  StartupOptions,
} from '../options.js';
import type { RequestLike } from '../request-like.js';
import { isPromiseLike, type MaybePromise } from '../shared/maybe-promise.js';
import { describeError, type Observer, resolveObserver } from '../shared/observer.js';
import {
  checkBoolean,
  checkFunction,
  checkKnownKeys,
  checkNotARequest,
  failOption,
  isRecord,
} from '../shared/option-checks.js';
import type { AuthCheck } from './checks.js';
import { denialFor, forbidden } from './denials.js';
import { AUTHENTICATE_OPTION_KEYS, buildVerifier } from './request-verifier.js';
import { judgeUserNow } from './route-check.js';
import type { AuthDecision, AuthDenied, Verifier } from './types.js';

/**
 * The health of an adapter instance: its verifier's status, and the startup check. Every adapter's
 * middleware (Express, Koa, Hono), Fastify's `fastify.torii` and Nest's `ToriiGuard` offer it.
 */
export interface ToriiHealth {
  /**
   * The verifier's status now (see {@link VerifierStatus}): `ready` says whether tokens can be
   * verified without waiting for the issuer. Answer readiness probes and `/health` with it.
   */
  status(): VerifierStatus;
  /**
   * The startup check: fetches the issuer's key set now. When it cannot be fetched, the default
   * (`startup: 'warn'`) logs one warning (the issuer's URL and the cause) and resolves with the
   * status, so the application still starts; with `startup: 'fail'` it rejects with the
   * `ToriiAuthError` (`jwks_unavailable`), which fails the start.
   */
  ready(): Promise<VerifierStatus>;
}

/**
 * How an adapter declares itself to {@link createAuthGuard}: the name users call it by (for
 * messages) and the options it takes on top of core's (which core then accepts and ignores), so
 * that an unknown or misspelt option name is refused with the full list of the adapter's options.
 *
 * @example
 * ```ts
 * createAuthGuard(options, { name: 'requireAuth()', options: ['onDenied'] });
 * ```
 */
export interface AdapterDeclaration {
  /** The factory as users call it, e.g. `'requireAuth()'` or `'ToriiModule.forRoot()'`. */
  name: string;
  /** The adapter's own option names, e.g. `['onDenied']`. */
  options?: readonly string[];
}

/** A verifier plus the request decision, built once from adapter options. */
export interface AuthGuard<TRequest> extends ToriiHealth {
  /** The verifier, built once (its JWKS cache is shared per issuer in the process). */
  readonly verifier: Verifier;
  /**
   * Debug logging is on (`debug: true` or `TORII_DEBUG`): denials are logged, and an adapter with a
   * request-scoped logger passes it as the `logger` override.
   */
  readonly debug: boolean;
  /**
   * Judges one request and answers what to do with it:
   *
   * | situation | answer |
   * |---|---|
   * | valid token (and `authorize` true) | `{ ok: true, auth }` |
   * | no token, `optional` | `{ ok: true, auth: null }` |
   * | no token (or a non-Bearer scheme) | 401, `www-authenticate: Bearer`, `authentication_failed` |
   * | token present but invalid (even when `optional`) | 401, `www-authenticate: Bearer error="invalid_token", error_description="…"` |
   * | keys unreachable, nothing cached (`jwks_unavailable`) | 503, `retry-after`, `verification_unavailable` |
   * | `authorize` returned false | 403, `forbidden` |
   *
   * Every denial has `content-type: application/json` and lower-case header names, and never
   * contains the token. The token comes from `getToken(request)` when given (a cookie, say), else
   * from the verifier's header in `headers`, which defaults to `request` itself read as a
   * {@link RequestLike}: pass it when the framework keeps headers elsewhere (Koa's `ctx.req`,
   * Hono's `c.req.raw`). Errors thrown by `getToken` or `authorize` reject the promise, for the
   * adapter to pass to the framework's error path.
   *
   * `overrides` change the decision for this call only (a route that is optional, or that needs a
   * further check): an `overrides.authorize` is a route check, which needs a user, so on an
   * optional call without a token it answers the 401 of a missing token instead of `auth: null`.
   * The promise rejects with a {@link ToriiConfigError} when they are malformed.
   *
   * @example
   * ```ts
   * const decision = await guard.decide(req);
   * if (decision.ok) req.auth = decision.auth;
   * else res.writeHead(decision.status, decision.headers).end(JSON.stringify(decision.body));
   * await guard.decide(req, req.headers, { optional: true });
   * await guard.decide(req, req.headers, { authorize: (auth) => auth.raw.role === 'admin' });
   * ```
   */
  decide(
    request: TRequest,
    headers?: RequestLike,
    overrides?: DecisionOverrides<TRequest>,
  ): Promise<AuthDecision>;
  /**
   * {@link AuthGuard.decide} for a framework's hot path: the same decision, returned as is when
   * nothing had to wait — a token from the verified-token cache, or, on the `node` entry with the
   * keys loaded, a token verified synchronously, and no check that answered with a promise — else
   * a promise of it. Saves the promise and the microtask turns of `decide` on every such request.
   * Unlike `decide`, it throws synchronously what `decide` would reject with (malformed
   * overrides, errors of `getToken` or a check), so call it inside the framework's error path.
   *
   * @example
   * ```ts
   * const decision = guard.decideNow(req);
   * if (decision instanceof Promise) decision.then(answer, next);
   * else answer(decision);
   * ```
   */
  decideNow(
    request: TRequest,
    headers?: RequestLike,
    overrides?: DecisionOverrides<TRequest>,
  ): AuthDecision | Promise<AuthDecision>;
}

const AUTHORIZE_SIGNATURE = '(auth, request) => boolean | Promise<boolean>';

/** Every option of {@link createAuthGuard} (an adapter adds its own). */
export const GUARD_OPTION_KEYS: readonly string[] = Object.freeze([
  ...AUTHENTICATE_OPTION_KEYS,
  'optional',
  'authorize',
  'getToken',
  'startup',
]);

function startupOf(value: unknown): NonNullable<StartupOptions['startup']> {
  if (value === undefined || value === 'warn' || value === 'fail') return value ?? 'warn';
  return failOption(
    `startup must be 'warn' (log and start anyway) or 'fail' (fail the start) (got ${JSON.stringify(value) ?? typeof value}).`,
  );
}

function decisionOptionsOf<TRequest>(options: AdapterOptions<TRequest>): DecisionOptions<TRequest> {
  const { optional, authorize, getToken } = options;
  checkBoolean(optional, 'optional');
  checkFunction(authorize, 'authorize', AUTHORIZE_SIGNATURE);
  checkFunction(
    getToken,
    'getToken',
    '(request) => string | null | undefined (or a promise of it)',
  );
  return { optional: optional === true, authorize, getToken };
}

/** The options of one call: the guard's, with a call's overrides (and its logger) applied. */
interface CallOptions<TRequest> extends DecisionOptions<TRequest> {
  /** The route-level check of this call (`overrides.authorize`), after the guard's `authorize`. */
  routeCheck?: AuthCheck<TRequest> | undefined;
  /** Where this call's denial line goes (`overrides.logger`), else the guard's observer. */
  logger?: ToriiLogger | undefined;
}

function withOverrides<TRequest>(
  base: DecisionOptions<TRequest>,
  overrides: DecisionOverrides<TRequest>,
): CallOptions<TRequest> {
  if (typeof overrides !== 'object' || overrides === null) {
    failOption('decide() overrides must be an object { optional, authorize }.');
  }
  const optional = checkBoolean(overrides.optional, 'the optional override');
  const routeCheck = checkFunction(
    overrides.authorize,
    'the authorize override',
    AUTHORIZE_SIGNATURE,
  );
  const { logger } = overrides;
  if (
    logger !== undefined &&
    typeof (logger as Partial<ToriiLogger> | null)?.debug !== 'function'
  ) {
    failOption('the logger override must be a logger with a debug method (request.log).');
  }
  return { ...base, optional: optional ?? base.optional, routeCheck, logger };
}

/** One debug line per denial: status, code and reason (the server-side message, never the token). */
function logDenial(observer: Observer, logger: ToriiLogger | undefined, line: string): void {
  if (logger === undefined) {
    observer.debug(line);
    return;
  }
  try {
    logger.debug(line);
  } catch {
    // A logger that throws must not change the answer.
  }
}

function denialLine(denied: AuthDenied, auth: ToriiAuth | null): string {
  if (denied.error === null) {
    return `torii: denied 403 forbidden: authorize did not return true for user ${auth?.userId ?? '(none)'}.`;
  }
  const reason = denied.error.message.replace(/^torii: /, '');
  return `torii: denied ${denied.status} ${denied.error.code}: ${reason}`;
}

/** What a decision needs from its guard. */
interface DecisionContext {
  readonly verifier: Verifier;
  readonly authenticateNow: (request: RequestLike) => MaybePromise<ToriiAuth>;
  readonly observer: Observer;
}

/**
 * The decision for one request, with its options already checked: the decision itself when
 * nothing had to wait (the token verified or came from the cache synchronously, and any check
 * answered a boolean), else a promise of it. Throws (or rejects with) what `getToken` or a check
 * threw; never a {@link ToriiAuthError}, which becomes a denial.
 */
function decideNow<TRequest>(
  context: DecisionContext,
  request: TRequest,
  headers: RequestLike,
  options: CallOptions<TRequest>,
): MaybePromise<AuthDecision> {
  if (options.getToken !== undefined) return decideFromGetToken(context, request, options);
  let auth: MaybePromise<ToriiAuth>;
  try {
    auth = context.authenticateNow(headers);
  } catch (error) {
    return refusal(error, context.observer, options);
  }
  if (isPromiseLike(auth)) {
    return auth.then(
      (verified) => judge(verified, context.observer, request, options),
      (error: unknown) => refusal(error, context.observer, options),
    );
  }
  return judge(auth, context.observer, request, options);
}

/** The decision when the token comes from the adapter's `getToken` (a cookie, say). */
async function decideFromGetToken<TRequest>(
  context: DecisionContext,
  request: TRequest,
  options: CallOptions<TRequest>,
): Promise<AuthDecision> {
  let auth: ToriiAuth;
  try {
    const token = await options.getToken?.(request);
    auth = await context.verifier.verify(typeof token === 'string' ? token : '');
  } catch (error) {
    return refusal(error, context.observer, options);
  }
  return judge(auth, context.observer, request, options);
}

/**
 * The answer to a verification that failed: `auth: null` for an optional call without a token,
 * else the denial. Anything but a {@link ToriiAuthError} is thrown on.
 */
function refusal<TRequest>(
  error: unknown,
  observer: Observer,
  options: CallOptions<TRequest>,
): AuthDecision {
  if (!(error instanceof ToriiAuthError)) throw error;
  // A route check needs a user: an optional call with one answers the 401 of a missing token.
  if (
    error.code === 'token_missing' &&
    options.optional === true &&
    options.routeCheck === undefined
  ) {
    return { ok: true, auth: null };
  }
  const denied = denialFor(error);
  if (observer.debugEnabled) logDenial(observer, options.logger, denialLine(denied, null));
  return denied;
}

/** The guard's `authorize`, then the call's route check, on a verified user. */
function judge<TRequest>(
  auth: ToriiAuth,
  observer: Observer,
  request: TRequest,
  options: CallOptions<TRequest>,
): MaybePromise<AuthDecision> {
  if (options.authorize === undefined) return checkRoute(auth, observer, request, options);
  const verdict = options.authorize(auth, request);
  if (isPromiseLike(verdict)) {
    return Promise.resolve(verdict).then((answer) =>
      authorized(answer === true, auth, observer, request, options),
    );
  }
  return authorized(verdict === true, auth, observer, request, options);
}

function authorized<TRequest>(
  allowed: boolean,
  auth: ToriiAuth,
  observer: Observer,
  request: TRequest,
  options: CallOptions<TRequest>,
): MaybePromise<AuthDecision> {
  if (allowed) return checkRoute(auth, observer, request, options);
  const denied = forbidden();
  if (observer.debugEnabled) logDenial(observer, options.logger, denialLine(denied, auth));
  return denied;
}

function checkRoute<TRequest>(
  auth: ToriiAuth,
  observer: Observer,
  request: TRequest,
  options: CallOptions<TRequest>,
): MaybePromise<AuthDecision> {
  if (options.routeCheck === undefined) return { ok: true, auth };
  const judged = judgeUserNow(options.routeCheck, auth, request);
  if (!observer.debugEnabled) return judged;
  const logged = (decision: AuthDecision): AuthDecision => {
    if (!decision.ok) logDenial(observer, options.logger, denialLine(decision, auth));
    return decision;
  };
  return isPromiseLike(judged) ? judged.then(logged) : logged(judged);
}

/**
 * Validates every adapter option once (throwing {@link ToriiConfigError} with an actionable
 * message, also for an unknown or misspelt option name), builds the verifier once, and returns
 * `decide(request, headers?, overrides?)`, which answers `{ ok: true, auth }` or the
 * `{ status, headers, body }` to write out (see {@link AuthGuard.decide}), plus the health of the
 * instance (`status()`, `ready()`). `overrides` ({@link DecisionOverrides}) serve routes that
 * differ from the instance: `optional` replaces the guard's, `authorize` is checked after the
 * guard's own (both must pass, and it needs a user). With {@link createRouteCheck} (checks on the
 * auth a guard already decided) this is all an adapter needs from core.
 *
 * `adapter` declares the adapter's name and its own options ({@link AdapterDeclaration}), so
 * that messages name the function the user called and the list of known options is complete.
 *
 * With debug logging on (`debug: true` or `TORII_DEBUG`), every denial is one debug line with its
 * status, code and reason.
 *
 * @throws {@link ToriiConfigError} when an option is invalid or unknown
 *
 * @example
 * ```ts
 * const guard = createAuthGuard<IncomingMessage>({ issuer: 'https://acme.torii.so', optional: true });
 * await guard.ready(); // at startup: fetch the keys (logs a warning if they cannot be had)
 * const decision = await guard.decide(req);
 * guard.status().ready; // for /health
 * ```
 */
export function createAuthGuard<TRequest>(
  options?: AdapterOptions<TRequest>,
  adapter?: AdapterDeclaration,
): AuthGuard<TRequest> {
  const given = options ?? {};
  if (!isRecord(given)) {
    failOption(
      "options must be an object, e.g. { issuer: 'https://acme.torii.so' } (or omit them and set TORII_ISSUER).",
    );
  }
  const where = adapter?.name ?? 'createAuthGuard()';
  checkNotARequest(given, where);
  checkKnownKeys(given, [...GUARD_OPTION_KEYS, ...(adapter?.options ?? [])], where);
  const observer = resolveObserver(given);
  const { verifier, authenticateNow } = buildVerifier(given, observer);
  const context: DecisionContext = { verifier, authenticateNow, observer };
  const decisionOptions = decisionOptionsOf(given);
  const startup = startupOf(given.startup);
  function decideNowFor(
    request: TRequest,
    headers: RequestLike | undefined,
    overrides: DecisionOverrides<TRequest> | undefined,
  ): MaybePromise<AuthDecision> {
    const options =
      overrides === undefined ? decisionOptions : withOverrides(decisionOptions, overrides);
    return decideNow(context, request, headers ?? (request as RequestLike), options);
  }
  return Object.freeze({
    verifier,
    debug: observer.debugEnabled,
    decide(
      request: TRequest,
      headers?: RequestLike,
      overrides?: DecisionOverrides<TRequest>,
    ): Promise<AuthDecision> {
      try {
        return Promise.resolve(decideNowFor(request, headers, overrides));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    decideNow: decideNowFor,
    status: () => verifier.status(),
    async ready(): Promise<VerifierStatus> {
      try {
        await verifier.warmup();
      } catch (error) {
        if (startup === 'fail') throw error;
        // A key set that cannot be fetched was logged by the key set cache (once per outage).
        if (!(error instanceof ToriiAuthError && error.code === 'jwks_unavailable')) {
          observer.warn(
            `torii: the startup check of ${where} failed (${describeError(error)}); the application starts anyway (startup: 'warn').`,
          );
        }
      }
      return verifier.status();
    },
  });
}
