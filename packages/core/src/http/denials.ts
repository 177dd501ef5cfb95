/**
 * The HTTP answers of every adapter (RFC 6750 `WWW-Authenticate`; the table is in
 * docs/ARCHITECTURE.md, "One request, end to end"), built once here for every
 * adapter.
 *
 * @module
 */
import type { ToriiAuthError, ToriiAuthErrorCode } from '../errors.js';
import { JwksFetchError } from '../jwks/jwks-fetch-error.js';
import type { AuthDenied, ToriiErrorBody } from './types.js';

/**
 * The fixed, user-facing description of each failure. Used as `error_description` and as the
 * body's `message`; never contains anything from the request.
 */
export const AUTH_FAILURE_MESSAGES: Readonly<Record<ToriiAuthErrorCode, string>> = Object.freeze({
  token_missing:
    'No bearer token was sent. Sign in and send the session token as "Authorization: Bearer <token>".',
  token_malformed: 'The bearer token is not a well-formed torii token.',
  token_expired: 'The token has expired. Refresh the session and retry.',
  token_not_yet_valid: 'The token is not valid yet. Check the clocks of client and server.',
  signature_invalid: 'The token signature is invalid.',
  algorithm_not_allowed: 'The token is not signed with an algorithm torii uses.',
  issuer_mismatch: 'The token was issued for another application.',
  audience_mismatch: 'The token is not meant for this API.',
  claims_invalid: 'The token claims are invalid.',
  key_not_found: 'The token was signed with an unknown key.',
  jwks_unavailable: 'Authentication is temporarily unavailable. Retry shortly.',
});

/** The message of the 403 answer. */
export const FORBIDDEN_MESSAGE = 'You are signed in but not allowed to access this resource.';

/** `Retry-After` when the failure carries no retry time. */
const DEFAULT_RETRY_AFTER_SEC = 30;

function body(code: ToriiErrorBody['error']['code'], message: string): ToriiErrorBody {
  return { error: { code, message } };
}

/**
 * The answer for a failed authentication:
 * - `token_missing` → 401, `www-authenticate: Bearer`, code `authentication_failed`;
 * - `jwks_unavailable` → 503, `retry-after`, code `verification_unavailable`;
 * - any other code → 401, `www-authenticate: Bearer error="invalid_token", error_description="…"`.
 *
 * Header names are lower-case; `content-type` is always `application/json`.
 *
 * @example
 * ```ts
 * const denied = denialFor(new ToriiAuthError('token_expired', '…'));
 * denied.status; // 401
 * ```
 */
export function denialFor(error: ToriiAuthError, nowMs: number = Date.now()): AuthDenied {
  const message = AUTH_FAILURE_MESSAGES[error.code];
  if (error.code === 'jwks_unavailable') {
    const retryAt = error.cause instanceof JwksFetchError ? error.cause.retryAt : Number.NaN;
    const seconds = Number.isFinite(retryAt)
      ? Math.max(1, Math.ceil((retryAt - nowMs) / 1000))
      : DEFAULT_RETRY_AFTER_SEC;
    return {
      ok: false,
      status: 503,
      headers: { 'content-type': 'application/json', 'retry-after': String(seconds) },
      body: body('verification_unavailable', message),
      error,
    };
  }
  const challenge =
    error.code === 'token_missing'
      ? 'Bearer'
      : `Bearer error="invalid_token", error_description="${message}"`;
  return {
    ok: false,
    status: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': challenge },
    body: body('authentication_failed', message),
    error,
  };
}

/**
 * The 403 answer for a verified user that `authorize` refused.
 *
 * @example
 * ```ts
 * forbidden().body; // { error: { code: 'forbidden', message: '…' } }
 * ```
 */
export function forbidden(): AuthDenied {
  return {
    ok: false,
    status: 403,
    headers: { 'content-type': 'application/json' },
    body: body('forbidden', FORBIDDEN_MESSAGE),
    error: null,
  };
}
