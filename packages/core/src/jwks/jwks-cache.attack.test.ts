import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { controlledFetch } from '../../test/controlled-fetch.js';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { type JwksServer, startJwksServer } from '../../test/jwks-server.js';
import { createSigner } from '../../test/signer.js';
import { createTokenVerifier as createVerifier } from '../verification/verifier.js';
import { DEFAULT_JWKS_CACHE_SETTINGS } from './jwks-cache.js';
import { MAX_RETAINED_JWKS_CACHES, retainedJwksCacheCount, sharedJwksCache } from './registry.js';

/** How long a background refresh may take to land on a loaded machine. */
const WAIT = { timeout: 10_000 };

/** What the test signer's default claims verify to. */
const EXPECTED_AUTH = { userId: 'user_abc', environmentId: 'env_xyz' };

const T0 = Date.UTC(2030, 0, 1);
const servers: JwksServer[] = [];

async function setup() {
  const jwks = await startJwksServer();
  servers.push(jwks);
  const signer = await createSigner(jwks.issuer, 'k1');
  jwks.setKeys(signer.jwk);
  // A unique tunable gives this test its own cache in the process-wide registry.
  const jwksCache = { maxStaleMs: 86_400_000 + Math.floor(Math.random() * 1e6) };
  const verifier = createVerifier({ issuer: jwks.issuer, tokenCache: false, jwksCache });
  return { jwks, signer, verifier, jwksCache };
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('the JWKS cache when the clock steps back', () => {
  it('a rotation right after the clock stepped back an hour is still picked up on the kid miss', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const { jwks, signer, verifier } = await setup();
    await verifier.verify(await signer.sign());
    vi.setSystemTime(T0 - 3600_000);
    const next = await createSigner(jwks.issuer, 'k2');
    jwks.setKeys(next.jwk);
    expect((await verifier.verify(await next.sign())).userId).toBe('user_abc');
    expect(jwks.requests).toBe(2);
  });

  it('after stepping back, the kid-miss cooldown and the failure rate limit hold from the new clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const { jwks, signer, verifier } = await setup();
    await verifier.warmup();
    vi.setSystemTime(T0 - 3600_000);
    for (let i = 0; i < 20; i++) {
      await expectAuthError(
        verifier.verify(await signer.sign({}, { kid: `r${i}` })),
        'key_not_found',
      );
    }
    // The step back makes the set due (one routine refresh) and lets one kid miss refetch; then
    // the cooldown holds from the new clock.
    expect(jwks.requests).toBe(3);
    jwks.mode = 'down';
    vi.setSystemTime(T0 - 7200_000);
    for (let i = 0; i < 20; i++) {
      await expectAuthError(
        verifier.verify(await signer.sign({}, { kid: `s${i}` })),
        'jwks_unavailable',
      );
    }
    // Stepping back again: one attempt (it fails), then the failure rate limit holds.
    expect(jwks.requests).toBe(4);
    // Known keys keep verifying throughout.
    await expect(verifier.verify(await signer.sign())).resolves.toMatchObject(EXPECTED_AUTH);
  });

  it('a key set is refreshed (in the background) after the clock stepped back', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const { jwks, signer, verifier } = await setup();
    const token = await signer.sign();
    await verifier.verify(token);
    vi.setSystemTime(T0 - 24 * 3600_000);
    await verifier.verify(await signer.sign());
    await vi.waitFor(() => expect(jwks.requests).toBe(2), WAIT);
    await verifier.verify(await signer.sign());
    expect(jwks.requests).toBe(2);
  });
});

describe('floods do not turn into fetches', () => {
  it('500 random-kid tokens across 50 verifiers of one issuer, mixed with valid ones: at most one refetch', async () => {
    const { jwks, signer, jwksCache } = await setup();
    const verifiers = Array.from({ length: 50 }, () =>
      createVerifier({ issuer: jwks.issuer, tokenCache: false, jwksCache }),
    );
    const valid = await signer.sign();
    const random = await Promise.all(
      Array.from({ length: 500 }, () => signer.sign({}, { kid: crypto.randomUUID() })),
    );
    const results = await Promise.allSettled(
      random.flatMap((token, i) => [
        (verifiers[i % 50] as (typeof verifiers)[number]).verify(token),
        (verifiers[(i + 1) % 50] as (typeof verifiers)[number]).verify(valid),
      ]),
    );
    const codes = results.map((r) =>
      r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code,
    );
    expect(codes.filter((c) => c === 'ok')).toHaveLength(500);
    expect(codes.filter((c) => c === 'key_not_found')).toHaveLength(500);
    expect(jwks.requests).toBeLessThanOrEqual(2);
  });

  it('kid-less tokens against a set of two keys never trigger a fetch', async () => {
    const { jwks, signer, verifier } = await setup();
    const second = await createSigner(jwks.issuer, 'k2');
    jwks.setKeys(signer.jwk, second.jwk);
    await verifier.warmup();
    const kidless = await createSigner(jwks.issuer, null);
    for (let i = 0; i < 20; i++) {
      await expectAuthError(verifier.verify(await kidless.sign()), 'key_not_found');
    }
    expect(jwks.requests).toBe(1);
  });
});

describe('the process-wide registry of JWKS caches', () => {
  it(`holds at most ${MAX_RETAINED_JWKS_CACHES} caches for issuers no live verifier uses`, () => {
    const ctl = controlledFetch();
    for (let i = 0; i < MAX_RETAINED_JWKS_CACHES + 2000; i++) {
      createVerifier({ issuer: `https://tenant-${i}.torii.example` });
      createVerifier({ issuer: `https://tenant-${i}.torii.example`, fetch: ctl.fetch });
    }
    expect(retainedJwksCacheCount()).toBeLessThanOrEqual(MAX_RETAINED_JWKS_CACHES);
    expect(ctl.calls).toHaveLength(0);
  });

  it('a cache that no verifier uses any more and that left the bound is garbage-collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let collected = false;
    const watch = new FinalizationRegistry<string>(() => {
      collected = true;
    });
    (() => {
      const verifier = createVerifier({ issuer: 'https://gone.torii.example' });
      const cache = sharedJwksCache(
        'https://gone.torii.example/_torii/.well-known/jwks.json',
        undefined,
        DEFAULT_JWKS_CACHE_SETTINGS,
      );
      watch.register(cache, 'gone');
      expect(verifier.issuer).toBe('https://gone.torii.example');
    })();
    for (let i = 0; i < MAX_RETAINED_JWKS_CACHES; i++) {
      sharedJwksCache(
        `https://push-${i}.torii.example/jwks`,
        undefined,
        DEFAULT_JWKS_CACHE_SETTINGS,
      );
    }
    await vi.waitFor(
      async () => {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(collected).toBe(true);
      },
      { timeout: 5000, interval: 20 },
    );
  });

  it('a live verifier evicted from the bound still shares its cache with new verifiers of its issuer', async () => {
    const { jwks, signer, verifier, jwksCache } = await setup();
    await verifier.warmup();
    for (let i = 0; i < MAX_RETAINED_JWKS_CACHES + 10; i++) {
      sharedJwksCache(
        `https://evict-${i}.torii.example/jwks`,
        undefined,
        DEFAULT_JWKS_CACHE_SETTINGS,
      );
    }
    const later = createVerifier({ issuer: jwks.issuer, tokenCache: false, jwksCache });
    await later.verify(await signer.sign());
    expect(jwks.requests).toBe(1);
  });

  it('one-shot verifyToken calls of one issuer keep sharing one cache', async () => {
    const { jwks, signer } = await setup();
    const { verifyToken } = await import('../verification/verifier.js');
    for (let i = 0; i < 5; i++) {
      await expect(
        verifyToken(await signer.sign(), { issuer: jwks.issuer }),
      ).resolves.toMatchObject(EXPECTED_AUTH);
    }
    expect(jwks.requests).toBe(1);
  });
});
