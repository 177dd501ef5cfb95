/**
 * The setup of the verified-token cache tests: `Date` frozen at a fixed instant and a real JWKS
 * server on 127.0.0.1 publishing the key of one signer (`kid` `k1`).
 *
 * @module
 */
import { vi } from 'vitest';
import { type JwksServer, startJwksServer } from './jwks-server.js';
import { createSigner, type TestSigner } from './signer.js';

/** What {@link startFixedClockIssuer} started. */
export interface FixedClockIssuer {
  /** Serves `signer`'s public key; its `issuer` is the issuer of the tokens. */
  jwks: JwksServer;
  /** Signs tokens under `kid` `k1`, with `iat` and `exp` from the frozen clock. */
  signer: TestSigner;
}

/**
 * Fakes `Date` (only `Date`: timers stay real, so the server and fetches work), sets it to `t0`,
 * starts a JWKS server and publishes a fresh signer's key there. Undo it with
 * {@link stopFixedClockIssuer} after each test.
 *
 * @example
 * ```ts
 * beforeEach(async () => {
 *   ({ jwks, signer } = await startFixedClockIssuer(Date.UTC(2030, 0, 1)));
 * });
 * afterEach(() => stopFixedClockIssuer(jwks));
 * ```
 */
export async function startFixedClockIssuer(t0: number): Promise<FixedClockIssuer> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(t0);
  const jwks = await startJwksServer();
  const signer = await createSigner(jwks.issuer, 'k1');
  jwks.setKeys(signer.jwk);
  return { jwks, signer };
}

/** Real timers again, every spy restored, and the JWKS server closed. */
export async function stopFixedClockIssuer(jwks: JwksServer): Promise<void> {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await jwks.close();
}
