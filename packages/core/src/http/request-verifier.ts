/**
 * `createVerifier` and `authenticateRequest`: a token verifier that also reads the bearer token
 * from a request. Requests stop here; the verification layer below only ever sees a token.
 *
 * @module
 */
import type { ToriiAuth } from '../auth.js';
import type { AuthenticateOptions } from '../options.js';
import type { RequestLike } from '../request-like.js';
import type { MaybePromise } from '../shared/maybe-promise.js';
import { type Observer, resolveObserver } from '../shared/observer.js';
import { checkKnownKeys, failOption, isRecord } from '../shared/option-checks.js';
import { outcomeOf, reportVerification, tokenVerificationOf } from '../verification/verifier.js';
import { resolveVerifierConfig, VERIFY_OPTION_KEYS } from '../verification/verifier-config.js';
import { extractBearerToken } from './bearer-token.js';
import type { Verifier } from './types.js';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Every option of {@link createVerifier} and {@link authenticateRequest}. */
export const AUTHENTICATE_OPTION_KEYS: readonly string[] = Object.freeze([
  ...VERIFY_OPTION_KEYS,
  'header',
]);

/**
 * The `header` option: a lower-case HTTP header name, `authorization` when omitted.
 *
 * @throws {@link ToriiConfigError} when it is not a header name
 */
export function headerNameOf(value: unknown): string {
  if (value === undefined) return 'authorization';
  if (typeof value !== 'string' || !HEADER_NAME.test(value)) {
    failOption(
      `header must be an HTTP header name such as 'authorization' (got ${JSON.stringify(value)}).`,
    );
  }
  return value.toLowerCase();
}

/**
 * Builds a verifier once (at startup) and uses it for every request. Options are validated here:
 * a bad issuer or option, or an unknown option name (`audiance`), throws {@link ToriiConfigError}
 * now, never per request. Without `issuer`, the `TORII_ISSUER` environment variable is used. Verifiers of the
 * same issuer share one JWKS cache in the process; each verifier has its own verified-token cache.
 *
 * Verification, in order: length cap and strict parse (`token_malformed`), `alg` exactly `ES256`
 * (`algorithm_not_allowed`) and header hygiene, key lookup by `kid` (`key_not_found`,
 * `jwks_unavailable`), the ES256 signature (`signature_invalid`), then the claims
 * (`issuer_mismatch`, `token_expired`, `token_not_yet_valid`, `audience_mismatch`,
 * `claims_invalid`).
 *
 * @throws {@link ToriiConfigError} when an option is invalid
 *
 * @example
 * ```ts
 * import { createVerifier } from '@torii/core';
 *
 * const verifier = createVerifier({ issuer: 'https://acme.torii.so' });
 * await verifier.warmup(); // optional: fetch the keys at startup
 * const auth = await verifier.authenticate(request); // or verifier.verify(token)
 * auth.userId; // 'user_abc'
 * verifier.status().ready; // true: the key set is loaded
 * ```
 */
export function createVerifier(options?: AuthenticateOptions): Verifier {
  if (isRecord(options)) checkKnownKeys(options, AUTHENTICATE_OPTION_KEYS, 'createVerifier()');
  return buildVerifier(options).verifier;
}

/**
 * A request verifier and its internal fast form for the guard: `authenticateNow` answers the
 * {@link ToriiAuth} itself when nothing has to wait, else a promise; it throws or rejects with
 * {@link ToriiAuthError}.
 */
export interface RequestVerification {
  readonly verifier: Verifier;
  readonly authenticateNow: (request: RequestLike) => MaybePromise<ToriiAuth>;
}

/**
 * {@link createVerifier} without the check of option names: for the entry points that take more
 * options than it does (the guard) and check their own list. `observer` is the one the caller
 * already built from the same options.
 */
export function buildVerifier(
  options?: AuthenticateOptions,
  observer?: Observer,
): RequestVerification {
  const reporter = observer ?? (isRecord(options) ? resolveObserver(options) : undefined);
  const config = resolveVerifierConfig(options, reporter);
  const { verifier: tokens, verifyNow } = tokenVerificationOf(config);
  const header = headerNameOf(isRecord(options) ? options.header : undefined);
  function authenticateNow(request: RequestLike): MaybePromise<ToriiAuth> {
    return verifyNow(extractBearerToken(request, header, config.maxTokenBytes));
  }
  async function authenticate(request: RequestLike): Promise<ToriiAuth> {
    return tokens.verify(extractBearerToken(request, header, config.maxTokenBytes));
  }
  /** The same, reporting a token that cannot be read as a verification outcome too. */
  async function authenticateObserved(request: RequestLike): Promise<ToriiAuth> {
    let token: string;
    try {
      token = extractBearerToken(request, header, config.maxTokenBytes);
    } catch (error) {
      const code = outcomeOf(error);
      if (reporter !== undefined && code !== undefined) {
        reportVerification(reporter, tokens.issuer, code, false);
      }
      throw error;
    }
    return tokens.verify(token);
  }
  const observed = reporter?.listening === true;
  const verifier: Verifier = Object.freeze({
    issuer: tokens.issuer,
    verify: tokens.verify,
    authenticate: observed ? authenticateObserved : authenticate,
    warmup: tokens.warmup,
    status: tokens.status,
  });
  return Object.freeze({
    verifier,
    authenticateNow: observed ? authenticateObserved : authenticateNow,
  });
}

/**
 * Reads `Authorization: Bearer <token>` (or the header named by `options.header`) from any
 * {@link RequestLike} and verifies it. A missing header, an empty one or another scheme rejects
 * with `token_missing`. Always returns a promise.
 *
 * @example
 * ```ts
 * const auth = await authenticateRequest(req, { issuer: 'https://acme.torii.so' });
 * ```
 */
export async function authenticateRequest(
  request: RequestLike,
  options?: AuthenticateOptions,
): Promise<ToriiAuth> {
  if (isRecord(options)) checkKnownKeys(options, AUTHENTICATE_OPTION_KEYS, 'authenticateRequest()');
  return buildVerifier({ ...options, tokenCache: false }).verifier.authenticate(request);
}
