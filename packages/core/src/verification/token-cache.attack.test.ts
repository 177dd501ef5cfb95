import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cacheToken } from '../../test/cache-token.js';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { startFixedClockIssuer, stopFixedClockIssuer } from '../../test/fixed-clock-issuer.js';
import type { JwksServer } from '../../test/jwks-server.js';
import { createSigner, nowSec, type TestSigner } from '../../test/signer.js';
import { createTokenVerifier as createVerifier } from './verifier.js';

/** How long a background refresh may take to land on a loaded machine. */
const WAIT = { timeout: 10_000 };

/** What the test signer's default claims verify to. */
const EXPECTED_AUTH = { userId: 'user_abc', environmentId: 'env_xyz' };

const T0 = Date.UTC(2030, 0, 1);
const HOUR = 3600_000;

let jwks: JwksServer;
let signer: TestSigner;
beforeEach(async () => {
  ({ jwks, signer } = await startFixedClockIssuer(T0));
});
afterEach(() => stopFixedClockIssuer(jwks));

/** A cached and an uncached verifier: the cache must never change the answer. */
function pair() {
  return {
    cached: createVerifier({ issuer: jwks.issuer }),
    fresh: createVerifier({ issuer: jwks.issuer, tokenCache: false }),
  };
}

describe('the verified-token cache under clock changes (setSystemTime backwards)', () => {
  it('a cached token whose nbf lies ahead after the clock steps back → token_not_yet_valid', async () => {
    const { cached, fresh } = pair();
    const token = await signer.sign({ nbf: nowSec(), exp: nowSec() + 4 * 3600 });
    await cacheToken(cached, token);
    vi.setSystemTime(T0 - HOUR);
    await expectAuthError(fresh.verify(token), 'token_not_yet_valid', token);
    await expectAuthError(cached.verify(token), 'token_not_yet_valid', token);
  });

  it('the same for an iat that now lies in the future', async () => {
    const { cached, fresh } = pair();
    const token = await signer.sign({ exp: nowSec() + 4 * 3600 });
    await cacheToken(cached, token);
    vi.setSystemTime(T0 - 10 * 60_000);
    await expectAuthError(fresh.verify(token), 'token_not_yet_valid', token);
    await expectAuthError(cached.verify(token), 'token_not_yet_valid', token);
  });

  it('within the tolerance a step back changes nothing, and the clock coming back serves it again', async () => {
    const { cached } = pair();
    const token = await signer.sign({ nbf: nowSec(), exp: nowSec() + 4 * 3600 });
    await cacheToken(cached, token);
    vi.setSystemTime(T0 - 30_000); // exactly the 30 s tolerance
    await expect(cached.verify(token)).resolves.toMatchObject(EXPECTED_AUTH);
    vi.setSystemTime(T0 - 30_001);
    await expectAuthError(cached.verify(token), 'token_not_yet_valid');
    vi.setSystemTime(T0 + 60_000);
    const verify = vi.spyOn(crypto.subtle, 'verify');
    await expect(cached.verify(token)).resolves.toMatchObject(EXPECTED_AUTH);
    await expect(cached.verify(token)).resolves.toMatchObject(EXPECTED_AUTH);
    expect(verify.mock.calls.length).toBeLessThanOrEqual(1);
  });

  it('a token expired in the cache stays expired: forward then back does not resurrect it wrongly', async () => {
    const { cached, fresh } = pair();
    const token = await signer.sign({ exp: nowSec() + 60 });
    await cacheToken(cached, token);
    vi.setSystemTime(T0 + 91_000);
    await expectAuthError(cached.verify(token), 'token_expired');
    vi.setSystemTime(T0 + 1000); // back inside the window: both answer the same, valid
    await expect(fresh.verify(token)).resolves.toMatchObject(EXPECTED_AUTH);
    await expect(cached.verify(token)).resolves.toMatchObject(EXPECTED_AUTH);
  });
});

describe('the verified-token cache under key rotation', () => {
  it('kid rebound to another key while the old key stays under a new kid → signature_invalid, as fresh', async () => {
    const { cached, fresh } = pair();
    const token = await signer.sign({ exp: nowSec() + 4 * 3600 });
    await cacheToken(cached, token);
    const newKey = await createSigner(jwks.issuer, 'k1');
    // The old key is still published, but as "k0"; "k1" now names another key.
    jwks.setKeys(newKey.jwk, { ...signer.jwk, kid: 'k0' });
    vi.setSystemTime(T0 + 6 * 60_000); // past the TTL: the next call refreshes in the background
    await fresh.warmup();
    await vi.waitFor(() => expect(jwks.requests).toBe(2), WAIT);
    await expectAuthError(fresh.verify(token), 'signature_invalid', token);
    await expectAuthError(cached.verify(token), 'signature_invalid', token);
  });

  it('a kid-less token cached under a one-key set is refused once the set has two keys, as fresh', async () => {
    const lone = await createSigner(jwks.issuer, null);
    jwks.setKeys(lone.jwk);
    const { cached, fresh } = pair();
    const token = await lone.sign({ exp: nowSec() + 4 * 3600 });
    await cacheToken(cached, token);
    const second = await createSigner(jwks.issuer, null);
    jwks.setKeys(lone.jwk, second.jwk);
    vi.setSystemTime(T0 + 6 * 60_000);
    await fresh.warmup();
    await vi.waitFor(() => expect(jwks.requests).toBe(2), WAIT);
    await expectAuthError(fresh.verify(token), 'key_not_found', token);
    await expectAuthError(cached.verify(token), 'key_not_found', token);
  });

  it('a routine refresh that keeps the key keeps the entry (no second signature check)', async () => {
    const { cached } = pair();
    const token = await signer.sign({ exp: nowSec() + 4 * 3600 });
    await cacheToken(cached, token);
    vi.setSystemTime(T0 + 6 * 60_000);
    await cached.verify(token);
    await vi.waitFor(() => expect(jwks.requests).toBe(2), WAIT);
    const verify = vi.spyOn(crypto.subtle, 'verify');
    await expect(cached.verify(token)).resolves.toMatchObject(EXPECTED_AUTH);
    expect(verify).not.toHaveBeenCalled();
  });
});

describe('the verified-token cache under LRU pressure', () => {
  it('1 000 verifications of 200 tokens through a 16-entry cache: each answer is that token’s own claims', async () => {
    const verifier = createVerifier({ issuer: jwks.issuer, tokenCache: { maxEntries: 16 } });
    const tokens = await Promise.all(
      Array.from({ length: 200 }, (_, i) => signer.sign({ sub: `user_${i}` })),
    );
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < tokens.length; i++) {
        // Interleave a hot token so that hits and evictions alternate.
        const j = i % 3 === 0 ? 0 : i;
        expect((await verifier.verify(tokens[j] as string)).userId).toBe(`user_${j}`);
      }
    }
  });

  it('an entry evicted under pressure is verified again, and an expired one never comes back', async () => {
    const verifier = createVerifier({ issuer: jwks.issuer, tokenCache: { maxEntries: 2 } });
    const shortLived = await signer.sign({ sub: 'short', exp: nowSec() + 60 });
    await cacheToken(verifier, shortLived);
    for (let i = 0; i < 5; i++)
      await cacheToken(verifier, await signer.sign({ sub: `filler_${i}` }));
    expect(verifier.status().tokenCache?.size).toBe(2);
    vi.setSystemTime(T0 + 91_000);
    await expectAuthError(verifier.verify(shortLived), 'token_expired');
  });
});
