/**
 * The JWS layer: strict parse → header checks (`alg` first) → payload decoding → key lookup →
 * ES256 signature. Used by the verifier for tokens and by the Wycheproof JWS tests as is.
 *
 * @module
 */
import { ToriiAuthError } from '../errors.js';
import { parseCompactJws } from './compact-jws.js';
import { verifyEs256 } from './es256.js';
import { checkJoseHeader } from './jose-header.js';

/** How {@link verifyCompactJws} decodes the payload and finds the key. */
export interface JwsVerification<TPayload> {
  /** Longest token accepted, checked before anything else. */
  readonly maxLength: number;
  /** Decodes the payload bytes, throwing `ToriiAuthError` `token_malformed` when they do not fit. */
  readonly decodePayload: (payload: Uint8Array) => TPayload;
  /** Finds the key for the header's `kid`; only called once header and payload are accepted. */
  readonly getKey: (kid: string | undefined) => Promise<CryptoKey>;
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
 * Verifies a compact JWS signed with ES256.
 *
 * @throws {@link ToriiAuthError} `token_malformed`, `algorithm_not_allowed`, `signature_invalid`,
 * or whatever `decodePayload` and `getKey` throw
 *
 * @example
 * ```ts
 * const { payload } = await verifyCompactJws(token, {
 *   maxLength: 8192,
 *   decodePayload: (bytes) => bytes,
 *   getKey: async () => key,
 * });
 * ```
 */
export async function verifyCompactJws<TPayload>(
  token: string,
  how: JwsVerification<TPayload>,
): Promise<VerifiedJws<TPayload>> {
  const jws = parseCompactJws(token, how.maxLength);
  const kid = checkJoseHeader(jws.header);
  const payload = how.decodePayload(jws.payload);
  const key = await how.getKey(kid);
  if (!(await verifyEs256(key, jws.signingInput, jws.signature))) {
    throw new ToriiAuthError(
      'signature_invalid',
      "torii: the token signature does not verify with the issuer's key. The token was forged or altered.",
    );
  }
  return { payload, kid, key };
}
