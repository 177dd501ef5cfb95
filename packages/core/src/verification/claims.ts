/**
 * The claim rules of a torii token and the {@link ToriiAuth} they produce.
 *
 * @module
 */
import type { ToriiAuth, ToriiJwtPayload } from '../auth.js';
import { ToriiAuthError } from '../errors.js';
import type { JsonObject } from '../jwt/json-object.js';
import { deepFreeze } from '../shared/deep-freeze.js';
import { quoteUntrusted } from '../shared/untrusted-text.js';
import { isLoopbackHost, trimTrailingSlashes } from '../shared/url-rules.js';

/** What the claims are checked against; resolved once when the verifier is created. */
export interface ClaimRules {
  /** The configured issuer without trailing slashes. */
  readonly issuer: string;
  /** Accepted audiences; `null` when `aud` is not checked. */
  readonly audience: readonly string[] | null;
  /** Allowed clock skew, in seconds. */
  readonly clockToleranceSec: number;
}

function invalid(message: string): ToriiAuthError {
  return new ToriiAuthError('claims_invalid', `torii: ${message}`);
}

/** A NumericDate claim: a finite JSON number (not a string, not `1e400`, which parses to Infinity). */
function numericDate(payload: JsonObject, name: string, required: boolean): number | undefined {
  const value = payload[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(
      `the "${name}" claim ${value === undefined ? 'is missing' : 'is not a finite number of seconds'}.`,
    );
  }
  return value;
}

function nonEmptyString(payload: JsonObject, name: string): string {
  const value = payload[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(`the "${name}" claim must be a non-empty string.`);
  }
  return value;
}

/**
 * The instant (ms since the epoch) from which the token counts as expired: `exp` plus tolerance.
 * A verified-token cache entry must not be served at or after it.
 */
export function expiryDeadlineMs(payload: ToriiJwtPayload, clockToleranceSec: number): number {
  return (payload.exp + clockToleranceSec) * 1000;
}

/**
 * The instant (ms since the epoch) before which the token is not valid yet: the later of `iat` and
 * `nbf`, minus tolerance. A verified-token cache entry must not be served before it (the clock may
 * step back).
 */
export function validFromMs(payload: ToriiJwtPayload, clockToleranceSec: number): number {
  const nbf = typeof payload.nbf === 'number' ? payload.nbf : Number.NEGATIVE_INFINITY;
  return (Math.max(payload.iat, nbf) - clockToleranceSec) * 1000;
}

/**
 * Checks the claims of a token whose signature is already verified and builds the frozen
 * {@link ToriiAuth}. `nowMs` is read by the caller from `Date.now()` at each call.
 *
 * | check | error code |
 * |---|---|
 * | `sub`, `pid` non-empty strings; `iat`, `exp` (and `nbf` if present) finite numbers; `iss` a string | `claims_invalid` |
 * | `iss` equals the issuer, trailing slashes ignored | `issuer_mismatch` |
 * | `now < exp + tolerance` | `token_expired` |
 * | `nbf <= now + tolerance`, `iat <= now + tolerance` | `token_not_yet_valid` |
 * | `aud` (string or array) contains a configured audience, when one is configured | `audience_mismatch` |
 *
 * @throws {@link ToriiAuthError}
 *
 * @example
 * ```ts
 * const auth = checkClaims(payload, { issuer, audience: null, clockToleranceSec: 30 }, Date.now());
 * ```
 */
export function checkClaims(payload: JsonObject, rules: ClaimRules, nowMs: number): ToriiAuth {
  const iss = payload.iss;
  if (typeof iss !== 'string') throw invalid('the "iss" claim must be a string.');
  const userId = nonEmptyString(payload, 'sub');
  const environmentId = nonEmptyString(payload, 'pid');
  const iat = numericDate(payload, 'iat', true) as number;
  const exp = numericDate(payload, 'exp', true) as number;
  const nbf = numericDate(payload, 'nbf', false);

  if (trimTrailingSlashes(iss) !== rules.issuer) {
    throw new ToriiAuthError('issuer_mismatch', issuerMismatchMessage(iss, rules.issuer));
  }
  const now = nowMs / 1000;
  const tolerance = rules.clockToleranceSec;
  if (now >= exp + tolerance) {
    throw new ToriiAuthError(
      'token_expired',
      'torii: the token has expired. The client should refresh its session and retry.',
    );
  }
  if (nbf !== undefined && nbf > now + tolerance) {
    throw new ToriiAuthError(
      'token_not_yet_valid',
      'torii: the token is not valid yet ("nbf" lies in the future). Check this server\'s clock.',
    );
  }
  if (iat > now + tolerance) {
    throw new ToriiAuthError(
      'token_not_yet_valid',
      'torii: the token is issued in the future ("iat"). Check this server\'s clock.',
    );
  }
  if (rules.audience !== null && !audienceMatches(payload.aud, rules.audience)) {
    throw new ToriiAuthError(
      'audience_mismatch',
      'torii: the token is not meant for this audience ("aud"). Check the audience option.',
    );
  }

  const raw = payload as ToriiJwtPayload;
  return Object.freeze({
    userId,
    environmentId,
    issuer: rules.issuer,
    emailVerified: payload.email_verified === true,
    profileComplete: payload.profile_complete !== false,
    impersonating: payload.impersonating === true,
    locale: typeof payload.locale === 'string' ? payload.locale : null,
    raw: deepFreeze(raw),
  });
}

/**
 * The server-side message of `issuer_mismatch`: the issuer the token carried (quoted, capped, with
 * control characters escaped: it is signed by a trusted key, but still data), the configured one,
 * and, when both are loopback URLs that differ only in the host name, the `localhost` vs
 * `127.0.0.1` explanation. Never in an HTTP answer: those carry `AUTH_FAILURE_MESSAGES` only.
 */
function issuerMismatchMessage(iss: string, configured: string): string {
  return `torii: the token was issued by ${quoteUntrusted(iss)}, not by the configured issuer "${configured}".${loopbackHint(iss, configured)} Check the issuer option against your torii dashboard.`;
}

function loopbackHint(iss: string, configured: string): string {
  let token: URL;
  let ours: URL;
  try {
    token = new URL(iss);
    ours = new URL(configured);
  } catch {
    return '';
  }
  const sameButHost =
    token.hostname !== ours.hostname &&
    isLoopbackHost(token.hostname) &&
    isLoopbackHost(ours.hostname) &&
    token.protocol === ours.protocol &&
    token.port === ours.port &&
    trimTrailingSlashes(token.pathname) === trimTrailingSlashes(ours.pathname);
  return sameButHost
    ? ` Both are this machine, but issuers are compared as written: ${token.hostname} and ${ours.hostname} are different issuers. Configure the issuer exactly as your local issuer signs it ("${trimTrailingSlashes(token.origin + token.pathname)}").`
    : '';
}

function audienceMatches(aud: unknown, accepted: readonly string[]): boolean {
  if (typeof aud === 'string') return accepted.includes(aud);
  if (Array.isArray(aud)) return aud.some((a) => typeof a === 'string' && accepted.includes(a));
  return false;
}
