/**
 * Which keys of a JWKS may verify torii tokens.
 *
 * @module
 */
import { decodeBase64Url } from '../jwt/base64url.js';

/** A JWK that passed {@link isEs256VerificationJwk}: an EC P-256 public key for signatures. */
export interface Es256PublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly kid?: string;
}

/**
 * Whether a JWK may verify ES256 tokens: `kty: EC`, `crv: P-256`, `alg` absent or `ES256`, `use`
 * absent or `sig`, `key_ops` absent or containing `verify`, `kid` absent or a string, no private
 * part `d`, and `x`/`y` each the canonical base64url of exactly 32 bytes. Everything else (RSA,
 * `oct`, P-384, encryption keys, a 33-byte coordinate) is ignored. Whether the point lies on the
 * curve is checked by Web Crypto on import.
 *
 * @example
 * ```ts
 * jwks.keys.filter(isEs256VerificationJwk);
 * ```
 */
export function isEs256VerificationJwk(jwk: unknown): jwk is Es256PublicJwk {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return false;
  const k = jwk as Record<string, unknown>;
  if (k.kty !== 'EC' || k.crv !== 'P-256') return false;
  if (k.alg !== undefined && k.alg !== 'ES256') return false;
  if (k.use !== undefined && k.use !== 'sig') return false;
  if (k.key_ops !== undefined && !(Array.isArray(k.key_ops) && k.key_ops.includes('verify'))) {
    return false;
  }
  if (k.kid !== undefined && typeof k.kid !== 'string') return false;
  if (k.d !== undefined) return false;
  return isCoordinate(k.x) && isCoordinate(k.y);
}

function isCoordinate(value: unknown): value is string {
  return typeof value === 'string' && value.length === 43 && decodeBase64Url(value)?.length === 32;
}
