import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cacheToken } from '../../test/cache-token.js';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { startFixedClockIssuer, stopFixedClockIssuer } from '../../test/fixed-clock-issuer.js';
import type { JwksServer } from '../../test/jwks-server.js';
import { b64url, createSigner, nowSec, type TestSigner } from '../../test/signer.js';
import type { ToriiAuth } from '../auth.js';
import { TokenCache, tokenCacheKey } from './token-cache.js';
import { tokenFingerprint } from './token-fingerprint.js';
import { createTokenVerifier as createVerifier } from './verifier.js';

/** How long a background refresh may take to land on a loaded machine. */
const WAIT = { timeout: 10_000 };

/** What the test signer's default claims verify to. */
const EXPECTED_AUTH = { userId: 'user_abc', environmentId: 'env_xyz' };

const T0 = Date.UTC(2030, 0, 1);

let jwks: JwksServer;
let signer: TestSigner;
beforeEach(async () => {
  ({ jwks, signer } = await startFixedClockIssuer(T0));
});
afterEach(() => stopFixedClockIssuer(jwks));

describe('TokenCache (unit)', () => {
  const auth = (userId: string) => ({ userId }) as ToriiAuth;
  const key = {} as CryptoKey;
  const current = () => true;
  const entry = (userId: string, deadlineMs: number, validFromMs = T0 - 1000) => ({
    auth: auth(userId),
    validFromMs,
    deadlineMs,
    kid: 'k1',
    key,
  });

  it('evicts the least recently used entry beyond the bound', () => {
    const cache = new TokenCache(2);
    cache.set('a', entry('a', T0 + 1000));
    cache.set('b', entry('b', T0 + 1000));
    expect(cache.get('a', T0, current)?.userId).toBe('a'); // a is now the most recent
    cache.set('c', entry('c', T0 + 1000));
    expect(cache.size).toBe(2);
    expect(cache.get('b', T0, current)).toBeUndefined();
    expect(cache.get('a', T0, current)?.userId).toBe('a');
    expect(cache.get('c', T0, current)?.userId).toBe('c');
  });

  it('drops an entry at its deadline and when its key is no longer current', () => {
    const cache = new TokenCache(10);
    cache.set('a', entry('a', T0 + 1000));
    expect(cache.get('a', T0 + 999, current)?.userId).toBe('a');
    expect(cache.get('a', T0 + 1000, current)).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set('b', entry('b', T0 + 1000));
    expect(cache.get('b', T0, () => false)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops an entry read before its validFromMs, and asks about its kid and key', () => {
    const cache = new TokenCache(10);
    cache.set('a', entry('a', T0 + 1000, T0));
    const asked: unknown[] = [];
    const record = (kid: string | undefined, k: CryptoKey) => asked.push([kid, k]) > 0;
    expect(cache.get('a', T0, record)?.userId).toBe('a');
    expect(asked).toEqual([['k1', key]]);
    expect(cache.get('a', T0 - 1, record)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  /** Two different tokens whose cache keys are equal: a birthday search over 30-bit keys. */
  function collidingTokens(): [string, string] {
    const seen = new Map<number, string>();
    const head = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.';
    for (let i = 0; ; i++) {
      const token = `${head}${i.toString(36).padStart(40, 'A')}`;
      const key = tokenCacheKey(token);
      const other = seen.get(key);
      if (other !== undefined) return [other, token];
      seen.set(key, token);
    }
  }

  it('serves an entry only to its own token, even to another one with the same fingerprint', () => {
    const [first, second] = collidingTokens();
    expect(first).not.toBe(second);
    expect(tokenCacheKey(first)).toBe(tokenCacheKey(second));
    const cache = new TokenCache(10);
    cache.set(first, entry('first', T0 + 1000));
    expect(cache.get(second, T0, current)).toBeUndefined();
    // The miss did not drop the entry of the token it collided with.
    expect(cache.get(first, T0, current)?.userId).toBe('first');
    expect(cache.size).toBe(1);
    // Storing the other token takes the slot over: one entry, served to it alone.
    cache.set(second, entry('second', T0 + 1000));
    expect(cache.size).toBe(1);
    expect(cache.get(first, T0, current)).toBeUndefined();
    expect(cache.get(second, T0, current)?.userId).toBe('second');
    // A token that differs from a cached one by its first char only reads the same fingerprint.
    const twin = `X${second.slice(1)}`;
    expect(tokenFingerprint(twin)).toBe(tokenFingerprint(second));
    expect(cache.get(twin, T0, current)).toBeUndefined();
    expect(cache.get(second, T0, current)?.userId).toBe('second');
  });

  it('evicts and drops through fingerprint collisions without losing count', () => {
    const [first, second] = collidingTokens();
    const cache = new TokenCache(2);
    cache.set(first, entry('first', T0 + 1000));
    cache.set('other', entry('other', T0 + 1000));
    cache.set(second, entry('second', T0 + 1000)); // takes first's slot: nothing evicted
    expect(cache.size).toBe(2);
    expect(cache.get('other', T0, current)?.userId).toBe('other');
    cache.set('third', entry('third', T0 + 1000)); // evicts second, the least recently used
    expect(cache.get(second, T0, current)).toBeUndefined();
    expect(cache.get('third', T0, current)?.userId).toBe('third');
    expect(cache.get('third', T0 + 1000, current)).toBeUndefined(); // dead: dropped
    expect(cache.size).toBe(1);
  });
});

describe('verified-token cache in a verifier', () => {
  /** A caching verifier that has just verified (and so cached) a token living `lifetimeSec`. */
  async function cachedToken(lifetimeSec: number) {
    const verifier = createVerifier({ issuer: jwks.issuer });
    const token = await signer.sign({ exp: nowSec() + lifetimeSec });
    await cacheToken(verifier, token);
    return { verifier, token };
  }

  it('caches a token on its second verification, then serves it without a signature check', async () => {
    const verifier = createVerifier({ issuer: jwks.issuer });
    const token = await signer.sign();
    await verifier.verify(token);
    expect(verifier.status().tokenCache?.size).toBe(0);
    const verify = vi.spyOn(crypto.subtle, 'verify');
    const second = await verifier.verify(token);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verifier.status().tokenCache?.size).toBe(1);
    verify.mockClear();
    expect(await verifier.verify(token)).toBe(second);
    expect(await verifier.verify(token)).toBe(second);
    expect(verify).not.toHaveBeenCalled();
  });

  it('tokens used once never enter it, so a flood of them evicts no entry in use', async () => {
    const verifier = createVerifier({ issuer: jwks.issuer, tokenCache: { maxEntries: 4 } });
    const hot = await signer.sign({ sub: 'hot' });
    const auth = await cacheToken(verifier, hot);
    const once = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signer.sign({ sub: `once_${i}` })),
    );
    for (const token of once) await verifier.verify(token);
    expect(verifier.status().tokenCache?.size).toBe(1);
    const verify = vi.spyOn(crypto.subtle, 'verify');
    expect(await verifier.verify(hot)).toBe(auth);
    expect(verify).not.toHaveBeenCalled();
  });

  it('tokenCache: false verifies every time', async () => {
    const verifier = createVerifier({ issuer: jwks.issuer, tokenCache: false });
    const token = await signer.sign();
    await verifier.verify(token);
    const verify = vi.spyOn(crypto.subtle, 'verify');
    await verifier.verify(token);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('GHSA-rp9m-7r4c-75qg cannot happen: tokens never share an entry, however similar', async () => {
    const verifier = createVerifier({ issuer: jwks.issuer });
    const alice = await signer.sign({ sub: 'alice' });
    const bob = await signer.sign({ sub: 'bob' });
    expect((await verifier.verify(alice)).userId).toBe('alice');
    expect((await verifier.verify(bob)).userId).toBe('bob');
    expect((await verifier.verify(alice)).userId).toBe('alice');
    // Same header and signature as a cached token, another payload: verified afresh, refused.
    const [h, , s] = alice.split('.');
    const forged = `${h}.${b64url(JSON.stringify({ iss: jwks.issuer, sub: 'mallory', pid: 'p', iat: nowSec(), exp: nowSec() + 60 }))}.${s}`;
    await expectAuthError(verifier.verify(forged), 'signature_invalid');
    // A cached token with a trailing char, or a prefix of it, is another token, verified afresh.
    await expectAuthError(verifier.verify(`${alice}A`), 'signature_invalid'); // 65-byte signature
    await expectAuthError(verifier.verify(alice.slice(0, -1)), 'token_malformed');
    // Failures are never cached: still refused the second time.
    await expectAuthError(verifier.verify(forged), 'signature_invalid');
  });

  it('GHSA-x937-hj6v-793p cannot happen: a cached token is refused once expired', async () => {
    const { verifier, token } = await cachedToken(60);
    vi.setSystemTime(T0 + 89_999); // exp + 30 s tolerance - 1 ms
    await expect(verifier.verify(token)).resolves.toMatchObject(EXPECTED_AUTH);
    vi.setSystemTime(T0 + 90_000);
    await expectAuthError(verifier.verify(token), 'token_expired');
  });

  it('a cached token whose kid left the key set is not served', async () => {
    const { verifier, token } = await cachedToken(3600);
    const next = await createSigner(jwks.issuer, 'k2');
    jwks.setKeys(next.jwk);
    vi.setSystemTime(T0 + 31_000);
    await verifier.verify(await next.sign()); // kid miss → refetch → k1 is gone
    expect(jwks.requests).toBe(2);
    await expectAuthError(verifier.verify(token), 'key_not_found');
  });

  it('a cached token is dropped when its kid is rebound to another key', async () => {
    const { verifier, token } = await cachedToken(3600);
    const impostor = await createSigner(jwks.issuer, 'k1');
    jwks.setKeys(impostor.jwk);
    vi.setSystemTime(T0 + 6 * 60_000); // past the TTL: the cache hit starts a background refresh
    await verifier.verify(token);
    await vi.waitFor(() => expect(jwks.requests).toBe(2), WAIT);
    await vi.waitFor(() => expectAuthError(verifier.verify(token), 'signature_invalid'), WAIT);
  });

  it('a cached token is not served once the key set is past its stale bound', async () => {
    const { verifier, token } = await cachedToken(48 * 3600);
    jwks.mode = 'down';
    vi.setSystemTime(T0 + 5 * 60_000 + 24 * 3600_000 + 1);
    await expectAuthError(verifier.verify(token), 'jwks_unavailable');
  });

  it('each verifier has its own cache: options are part of the key', async () => {
    const plain = createVerifier({ issuer: jwks.issuer });
    const withAudience = createVerifier({ issuer: jwks.issuer, audience: 'api' });
    const token = await signer.sign();
    await cacheToken(plain, token);
    await expectAuthError(withAudience.verify(token), 'audience_mismatch');
  });

  it('keeps at most maxEntries tokens', async () => {
    const verifier = createVerifier({ issuer: jwks.issuer, tokenCache: { maxEntries: 2 } });
    const [a, b, c] = await Promise.all([
      signer.sign({ sub: 'a' }),
      signer.sign({ sub: 'b' }),
      signer.sign({ sub: 'c' }),
    ]);
    for (const t of [a, b, c]) await cacheToken(verifier, t as string);
    expect(verifier.status().tokenCache?.size).toBe(2);
    const verify = vi.spyOn(crypto.subtle, 'verify');
    await verifier.verify(c as string);
    await verifier.verify(b as string);
    expect(verify).not.toHaveBeenCalled();
    await verifier.verify(a as string); // evicted
    expect(verify).toHaveBeenCalledTimes(1);
  });
});

describe('TokenCache against a reference LRU', () => {
  /** The obvious O(n) LRU: an array, most recent last. */
  class ReferenceLru {
    readonly order: string[] = [];
    constructor(readonly max: number) {}
    get(token: string): boolean {
      const at = this.order.indexOf(token);
      if (at === -1) return false;
      this.order.splice(at, 1);
      this.order.push(token);
      return true;
    }
    set(token: string): void {
      const at = this.order.indexOf(token);
      if (at !== -1) this.order.splice(at, 1);
      else if (this.order.length >= this.max) this.order.shift();
      this.order.push(token);
    }
    drop(token: string): void {
      const at = this.order.indexOf(token);
      if (at !== -1) this.order.splice(at, 1);
    }
  }

  /** A small deterministic PRNG (mulberry32), so a failure replays. */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it.each([1, 2, 3, 7, 64])(
    'keeps exactly the entries an LRU of %i keeps, through 20,000 random gets, sets and drops',
    (max) => {
      const next = random(max);
      const cache = new TokenCache(max);
      const reference = new ReferenceLru(max);
      const key = {} as CryptoKey;
      const dead = new Set<string>();
      const entryOf = (token: string) => ({
        auth: { userId: token } as ToriiAuth,
        validFromMs: 0,
        deadlineMs: 1_000,
        kid: 'k1',
        key,
      });
      for (let i = 0; i < 20_000; i++) {
        const token = `t${Math.floor(next() * max * 3)}`;
        const op = next();
        if (op < 0.45) {
          const hit = cache.get(token, 500, () => !dead.has(token));
          const expected = reference.get(token) && !dead.has(token);
          if (reference.order.includes(token) && dead.has(token)) reference.drop(token);
          expect(hit?.userId, `get ${token} at step ${i}`).toBe(expected ? token : undefined);
        } else if (op < 0.95) {
          dead.delete(token);
          cache.set(token, entryOf(token));
          reference.set(token);
        } else {
          dead.add(token); // its key left the set: the next get drops it
        }
        expect(cache.size).toBe(reference.order.length);
      }
    },
  );
});
