/**
 * The JWS layer: strict parse → header checks (`alg` first) → payload decoding → key lookup →
 * ES256 signature. Used by the verifier for tokens and by the Wycheproof JWS tests as is.
 *
 * @module
 */
import { ToriiAuthError } from '../errors.js';
import { type MaybePromise, whenReady } from '../shared/maybe-promise.js';
import { parseCompactJws } from './compact-jws.js';
import { verifyEs256 } from './es256.js';
import { checkJoseHeader } from './jose-header.js';

/** How {@link verifyCompactJws} decodes the payload and finds the key. */
export interface JwsVerification<TPayload> {
  /** Longest token accepted, checked before anything else. */
  readonly maxLength: number;
  /**
   * Decodes the payload segment (canonical base64url, already checked), throwing
   * `ToriiAuthError` `token_malformed` when it does not fit.
   */
  readonly decodePayload: (payloadSegment: string) => TPayload;
  /**
   * Finds the key for the header's `kid`; only called once header and payload are accepted. May
   * answer synchronously (a key already at hand) or with a promise.
   */
  readonly getKey: (kid: string | undefined) => MaybePromise<CryptoKey>;
}

/** A JWS whose signature verified. */
export interface VerifiedJws<TPayload> {
  readonly payload: TPayload;
  /** The header's `kid` (absent for a kid-less token). */
  readonly kid: string | undefined;
  /** The key that verified the signature. */
  readonly key: CryptoKey;
}

/**
 * Verifies a compact JWS signed with ES256. Answers synchronously when the key and the signature
 * backend do (a cached key on Node), else with a promise; either way a failure is a throw or a
 * rejection of {@link ToriiAuthError}.
 *
 * @throws {@link ToriiAuthError} `token_malformed`, `algorithm_not_allowed`, `signature_invalid`,
 * or whatever `decodePayload` and `getKey` throw
 *
 * @example
 * ```ts
 * const { payload } = await verifyCompactJws(token, {
 *   maxLength: 8192,
 *   decodePayload: (segment) => segment,
 *   getKey: () => key,
 * });
 * ```
 */
export function verifyCompactJws<TPayload>(
  token: string,
  how: JwsVerification<TPayload>,
): MaybePromise<VerifiedJws<TPayload>> {
  const jws = parseCompactJws(token, how.maxLength);
  const kid = checkJoseHeader(jws.header);
  const payload = how.decodePayload(jws.payloadSegment);
  return whenReady(how.getKey(kid), (key) =>
    whenReady(verifyEs256(key, jws.signingInput, jws.signature), (ok) => {
      if (!ok) throw signatureInvalid();
      return { payload, kid, key };
    }),
  );
}

function signatureInvalid(): ToriiAuthError {
  return new ToriiAuthError(
    'signature_invalid',
    "torii: the token signature does not verify with the issuer's key. The token was forged or altered.",
  );
}
