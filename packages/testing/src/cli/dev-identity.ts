/**
 * The identity of a `torii-dev` instance, derived from one key seed: the same seed always gives
 * the same signing key, environment id and secret key. That is how `torii-dev token`, a separate
 * process, mints tokens a running `torii-dev` accepts, and why the printed `export` line stays
 * valid across restarts. Development only: anyone who knows the seed can sign tokens.
 *
 * @module
 */
import { createHmac } from 'node:crypto';

/** The key seed used when none is given. */
export const DEFAULT_KEY_SEED = 'torii-dev';

/** Default port of the issuer (JWKS). */
export const DEFAULT_ISSUER_PORT = 4010;

/** Default port of the mock server API. */
export const DEFAULT_API_PORT = 4011;

/** What a key seed determines besides the signing key. */
export interface DevIdentity {
  /** A UUID: the `pid` of tokens and the environment of the mock API. */
  environmentId: string;
  /** `sk_test_torii_dev_` + 32 hex digits. */
  secretKey: string;
}

/** Derive the environment id and secret key of `seed`. */
export function deriveDevIdentity(seed: string): DevIdentity {
  const bytes = createHmac('sha256', seed).update('torii-dev-identity').digest();
  const hex = bytes.subarray(0, 16).toString('hex');
  const secret = bytes.subarray(16, 32).toString('hex');
  // RFC 9562 layout: version 4 nibble and variant bits, so it passes `format: uuid`.
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  const environmentId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return { environmentId, secretKey: `sk_test_torii_dev_${secret}` };
}
