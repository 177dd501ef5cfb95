/**
 * `mintDevToken()`: sign a token that a running `torii-dev` with the same key seed accepts,
 * without talking to it (the key is derived from the seed, see `dev-identity.ts`).
 *
 * @module
 */

import { assertLoopbackHost, assertPort, loopbackOrigin } from '../http/loopback.js';
import { createTestIssuer, type TestTokenClaims } from '../issuer/create-test-issuer.js';
import type { Duration } from '../issuer/duration.js';
import { DEFAULT_ISSUER_PORT, DEFAULT_KEY_SEED, deriveDevIdentity } from './dev-identity.js';

/** Options of {@link mintDevToken}. */
export interface MintDevTokenOptions {
  /** The issuer URL (`iss`). @default `http://{host}:{issuerPort}` */
  issuer?: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 4010 */
  issuerPort?: number;
  /** Must equal the running `torii-dev`'s seed. @default 'torii-dev' */
  keySeed?: string;
  /** Lifetime; negative for a token that expired that long ago. @default '15m' */
  expiresIn?: Duration;
  /** A token that expired 10 minutes ago, past the 30 s clock tolerance (`expiresIn` is ignored). */
  expired?: boolean;
  /** Claims over the defaults (`sub`, `pid`, ...). */
  claims?: TestTokenClaims;
}

/**
 * Mint a `torii-dev` token.
 *
 * @example
 * ```ts
 * const token = await mintDevToken({ claims: { sub: 'user_123' }, expiresIn: '1h' });
 * const expired = await mintDevToken({ expired: true }); // verifyToken rejects: token_expired
 * ```
 */
export async function mintDevToken(options: MintDevTokenOptions = {}): Promise<string> {
  const keySeed = options.keySeed ?? DEFAULT_KEY_SEED;
  const issuerUrl =
    options.issuer ??
    loopbackOrigin(
      assertLoopbackHost(options.host ?? '127.0.0.1'),
      assertPort(options.issuerPort ?? DEFAULT_ISSUER_PORT, 'issuerPort'),
    );
  const issuer = await createTestIssuer({
    listen: false,
    issuer: issuerUrl,
    seed: keySeed,
    environmentId: deriveDevIdentity(keySeed).environmentId,
  });
  if (options.expired === true) return issuer.sign(options.claims, { expired: true });
  return issuer.sign(
    options.claims,
    options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn },
  );
}
