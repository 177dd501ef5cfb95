/**
 * `createAuthGuard`: the one entry of the HTTP layer for adapters. Built once per middleware
 * instance, it reads the token, verifies it and decides what the adapter answers.
 *
 * @module
 */
import type { ToriiAuth } from '../auth.js';
import { ToriiAuthError } from '../errors.js';
import type { AdapterOptions, DecisionOptions, DecisionOverrides } from '../options.js';
import type { RequestLike } from '../request-like.js';
import { checkBoolean, checkFunction, failOption } from '../shared/option-checks.js';
import type { AuthCheck } from './checks.js';
import { denialFor, forbidden } from './denials.js';
import { createVerifier } from './request-verifier.js';
import { judgeUser } from './route-check.js';
import type { AuthDecision, Verifier } from './types.js';

/** A verifier plus the request decision, built once from adapter options. */
export interface AuthGuard<TRequest> {
  /** The verifier, built once (its JWKS cache is shared per issuer in the process). */
  readonly verifier: Verifier;
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
}

const AUTHORIZE_SIGNATURE = '(auth, request) => boolean | Promise<boolean>';

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

/** The options of one call: the guard's, with a call's overrides applied. */
interface CallOptions<TRequest> extends DecisionOptions<TRequest> {
  /** The route-level check of this call (`overrides.authorize`), after the guard's `authorize`. */
  routeCheck?: AuthCheck<TRequest> | undefined;
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
  return { ...base, optional: optional ?? base.optional, routeCheck };
}

/** The decision for one request, with its options already checked. */
async function decide<TRequest>(
  verifier: Verifier,
  request: TRequest,
  headers: RequestLike,
  options: CallOptions<TRequest>,
): Promise<AuthDecision> {
  let auth: ToriiAuth;
  try {
    if (options.getToken !== undefined) {
      const token = await options.getToken(request);
      auth = await verifier.verify(typeof token === 'string' ? token : '');
    } else {
      auth = await verifier.authenticate(headers);
    }
  } catch (error) {
    if (!(error instanceof ToriiAuthError)) throw error;
    // A route check needs a user: an optional call with one answers the 401 of a missing token.
    if (
      error.code === 'token_missing' &&
      options.optional === true &&
      options.routeCheck === undefined
    ) {
      return { ok: true, auth: null };
    }
    return denialFor(error);
  }
  if (options.authorize !== undefined && (await options.authorize(auth, request)) !== true) {
    return forbidden();
  }
  if (options.routeCheck !== undefined) return judgeUser(options.routeCheck, auth, request);
  return { ok: true, auth };
}

/**
 * Validates every adapter option once (throwing {@link ToriiConfigError} with an actionable
 * message), builds the verifier once, and returns `decide(request, headers?, overrides?)`, which
 * answers `{ ok: true, auth }` or the `{ status, headers, body }` to write out (see
 * {@link AuthGuard.decide}). `overrides` ({@link DecisionOverrides}) serve routes that differ from
 * the instance: `optional` replaces the guard's, `authorize` is checked after the guard's own (both
 * must pass, and it needs a user). With {@link createRouteCheck} (checks on the auth a guard
 * already decided) this is all an adapter needs from core.
 *
 * @throws {@link ToriiConfigError} when an option is invalid
 *
 * @example
 * ```ts
 * const guard = createAuthGuard<IncomingMessage>({ issuer: 'https://acme.torii.so', optional: true });
 * const decision = await guard.decide(req);
 * ```
 */
export function createAuthGuard<TRequest>(options: AdapterOptions<TRequest>): AuthGuard<TRequest> {
  const verifier = createVerifier(options);
  const decisionOptions = decisionOptionsOf(options);
  return Object.freeze({
    verifier,
    decide(
      request: TRequest,
      headers?: RequestLike,
      overrides?: DecisionOverrides<TRequest>,
    ): Promise<AuthDecision> {
      let options: CallOptions<TRequest> = decisionOptions;
      if (overrides !== undefined) {
        try {
          options = withOverrides(decisionOptions, overrides);
        } catch (error) {
          return Promise.reject(error);
        }
      }
      return decide(verifier, request, headers ?? (request as RequestLike), options);
    },
  });
}
