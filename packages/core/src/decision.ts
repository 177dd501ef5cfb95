/**
 * The framework-neutral decision every adapter writes out: the auth, or status + headers + body.
 *
 * @module
 */
import { denialFor, forbidden } from './bearer/denials.js';
import { ToriiAuthError } from './errors.js';
import type { AuthDecision, DecisionOptions, RequestLike, Verifier } from './options.js';

/** Options of {@link decideRequest}: the decision options, plus where the headers are. */
export type DecideRequestOptions<TRequest> = DecisionOptions<TRequest> & {
  /** The request's headers, when `request` itself is not a {@link RequestLike}. @default request */
  headers?: RequestLike;
};

/**
 * Judges one request and answers what to do with it (DESIGN.md §3):
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
 * from the verifier's header in `options.headers ?? request`. Errors thrown by `getToken` or
 * `authorize` reject the promise, for the adapter to pass to the framework's error path.
 *
 * @example
 * ```ts
 * const decision = await decideRequest(verifier, req, { optional: false });
 * if (decision.ok) req.auth = decision.auth;
 * else res.writeHead(decision.status, decision.headers).end(JSON.stringify(decision.body));
 * ```
 */
export async function decideRequest<TRequest>(
  verifier: Verifier,
  request: TRequest,
  options: DecideRequestOptions<TRequest> = {},
): Promise<AuthDecision> {
  let auth: Awaited<ReturnType<Verifier['verify']>>;
  try {
    if (options.getToken !== undefined) {
      const token = await options.getToken(request);
      auth = await verifier.verify(typeof token === 'string' ? token : '');
    } else {
      auth = await verifier.authenticate(options.headers ?? (request as RequestLike));
    }
  } catch (error) {
    if (!(error instanceof ToriiAuthError)) throw error;
    if (error.code === 'token_missing' && options.optional === true) {
      return { ok: true, auth: null };
    }
    return denialFor(error);
  }
  if (options.authorize !== undefined && (await options.authorize(auth, request)) !== true) {
    return forbidden();
  }
  return { ok: true, auth };
}
