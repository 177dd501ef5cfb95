import { afterEach, describe, expect, it, vi } from 'vitest';
import { controlledFetch } from '../../test/controlled-fetch.js';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { type JwksServer, type JwksServerMode, startJwksServer } from '../../test/jwks-server.js';
import { createSigner } from '../../test/signer.js';
import { createTokenVerifier as createVerifier } from '../verification/verifier.js';
import { JwksFetchError } from './jwks-fetch-error.js';

/** How long a background refresh may take to land on a loaded machine. */
const WAIT = { timeout: 10_000 };

const servers: JwksServer[] = [];
async function server(): Promise<JwksServer> {
  const s = await startJwksServer();
  servers.push(s);
  return s;
}

/** A server with one key `k1`, a signer for it and a verifier without token cache. */
async function setup(options: Record<string, unknown> = {}) {
  const jwks = await server();
  const signer = await createSigner(jwks.issuer, 'k1');
  jwks.setKeys(signer.jwk);
  const verifier = createVerifier({ issuer: jwks.issuer, tokenCache: false, ...options });
  return { jwks, signer, verifier };
}

const T0 = new Date('2030-01-01T00:00:00Z');
const MINUTE = 60_000;

function useClock(): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
}
function advance(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('JWKS cache: fetching', () => {
  it('fetches {issuer}/_torii/.well-known/jwks.json once for 300 concurrent cold verifies', async () => {
    const { jwks, signer, verifier } = await setup();
    const token = await signer.sign();
    const results = await Promise.all(Array.from({ length: 300 }, () => verifier.verify(token)));
    expect(results.every((auth) => auth.userId === 'user_abc')).toBe(true);
    expect(jwks.requests).toBe(1);
    expect(jwks.paths).toEqual(['/_torii/.well-known/jwks.json']);
  });

  it('makes at most 2 requests for 200 tokens with random kids (cold), then none within the cooldown', async () => {
    const { jwks, signer, verifier } = await setup();
    const tokens = await Promise.all(
      Array.from({ length: 200 }, () => signer.sign({}, { kid: crypto.randomUUID() })),
    );
    const errors = await Promise.all(
      tokens.map((t) => expectAuthError(verifier.verify(t), 'key_not_found')),
    );
    expect(errors).toHaveLength(200);
    expect(jwks.requests).toBeLessThanOrEqual(2);
    const before = jwks.requests;
    for (const t of tokens.slice(0, 50)) await expectAuthError(verifier.verify(t), 'key_not_found');
    expect(jwks.requests).toBe(before);
  });

  it('counts __proto__, constructor and 10 KB kids as kid misses against the cooldown', async () => {
    useClock();
    const { jwks, signer, verifier } = await setup({ maxTokenBytes: 32_768 });
    await verifier.warmup();
    advance(31_000);
    for (const kid of ['__proto__', 'constructor', 'x'.repeat(10_240)]) {
      await expectAuthError(verifier.verify(await signer.sign({}, { kid })), 'key_not_found');
    }
    // One refetch for the first miss; the others fall within the cooldown.
    expect(jwks.requests).toBe(2);
  });

  it('picks up a rotated key on its first token, right after the startup fetch', async () => {
    useClock();
    const { jwks, signer, verifier } = await setup();
    await verifier.verify(await signer.sign());
    const next = await createSigner(jwks.issuer, 'k2');
    jwks.setKeys(next.jwk);

    advance(1_000); // well within the cooldown of the startup fetch, which does not hold it back
    expect((await verifier.verify(await next.sign())).userId).toBe('user_abc');
    expect(jwks.requests).toBe(2);
    // k1 left the set with the rotation.
    await expectAuthError(verifier.verify(await signer.sign()), 'key_not_found');
    expect(jwks.requests).toBe(2);
  });

  it('picks up a key published right after a scheduled refresh, on its first token', async () => {
    useClock();
    const { jwks, signer, verifier } = await setup();
    await verifier.warmup();
    advance(5 * MINUTE); // the set is due: the next request starts a background refresh
    await verifier.verify(await signer.sign());
    await vi.waitFor(() => expect(jwks.requests).toBe(2), WAIT);
    await verifier.verify(await signer.sign()); // joins or follows the refresh: no fetch
    expect(jwks.requests).toBe(2);

    const next = await createSigner(jwks.issuer, 'k2');
    jwks.setKeys(signer.jwk, next.jwk);
    advance(1_000);
    expect((await verifier.verify(await next.sign())).userId).toBe('user_abc');
    expect(jwks.requests).toBe(3);
  });

  it('tokens of a key published while a scheduled refresh was under way all wait for one refetch', async () => {
    useClock();
    const ctl = controlledFetch();
    const issuer = 'https://acme.torii.so';
    const signer = await createSigner(issuer, 'k1');
    const next = await createSigner(issuer, 'k2');
    const verifier = createVerifier({ issuer, fetch: ctl.fetch, tokenCache: false });
    const warm = verifier.warmup();
    await vi.waitFor(() => expect(ctl.calls).toHaveLength(1), WAIT);
    ctl.calls[0]?.respond({ keys: [signer.jwk] });
    await warm;

    advance(5 * MINUTE);
    await verifier.verify(await signer.sign()); // starts the scheduled refresh, which hangs
    expect(ctl.calls).toHaveLength(2);
    // k2 is published after that refresh started; ten requests with k2 tokens arrive.
    const rotated = await next.sign();
    const results = Promise.all(Array.from({ length: 10 }, () => verifier.verify(rotated)));
    ctl.calls[1]?.respond({ keys: [signer.jwk] }); // the refresh's set predates k2
    await vi.waitFor(() => expect(ctl.calls).toHaveLength(3), WAIT); // one kid-miss refetch for all ten
    ctl.calls[2]?.respond({ keys: [signer.jwk, next.jwk] });
    expect((await results).map((auth) => auth.userId)).toEqual(Array(10).fill('user_abc'));
    expect(ctl.calls).toHaveLength(3);
  });

  it('random kids still cause at most one refetch per cooldown, counted from the last kid-miss refetch', async () => {
    useClock();
    const { jwks, signer, verifier } = await setup();
    await verifier.warmup();
    const randomKids = async (n: number) => {
      const tokens = await Promise.all(
        Array.from({ length: n }, () => signer.sign({}, { kid: crypto.randomUUID() })),
      );
      await Promise.all(tokens.map((t) => expectAuthError(verifier.verify(t), 'key_not_found')));
    };
    advance(1_000);
    await randomKids(100);
    expect(jwks.requests).toBe(2); // one refetch, shared by all 100
    advance(29_999);
    await randomKids(100);
    expect(jwks.requests).toBe(2); // within 30 s of that refetch: none
    // A key published now waits for the cooldown too: that is the flood protection.
    const next = await createSigner(jwks.issuer, 'k2');
    jwks.setKeys(signer.jwk, next.jwk);
    const rotated = await next.sign();
    await expectAuthError(verifier.verify(rotated), 'key_not_found');
    expect(jwks.requests).toBe(2);
    advance(1);
    expect((await verifier.verify(rotated)).userId).toBe('user_abc');
    expect(jwks.requests).toBe(3);
    await randomKids(100);
    expect(jwks.requests).toBe(3);
  });

  it('a failed kid-miss refetch is still rate-limited: no fetch within the cooldown after it', async () => {
    useClock();
    const { jwks, signer, verifier } = await setup();
    await verifier.warmup();
    jwks.mode = 'down';
    advance(1_000);
    const stranger = await createSigner(jwks.issuer, 'k9');
    await expectAuthError(verifier.verify(await stranger.sign()), 'jwks_unavailable');
    expect(jwks.requests).toBe(2);
    advance(29_999);
    await expectAuthError(verifier.verify(await stranger.sign()), 'jwks_unavailable');
    expect(jwks.requests).toBe(2);
    expect((await verifier.verify(await signer.sign())).userId).toBe('user_abc');
    jwks.mode = 'ok';
    jwks.setKeys(signer.jwk, stranger.jwk);
    advance(1);
    expect((await verifier.verify(await stranger.sign())).userId).toBe('user_abc');
    expect(jwks.requests).toBe(3);
  });

  it('a failed scheduled refresh holds back the next kid-miss refetch for the cooldown', async () => {
    useClock();
    const { jwks, signer, verifier } = await setup();
    await verifier.warmup();
    jwks.mode = '500';
    advance(5 * MINUTE);
    await verifier.verify(await signer.sign()); // starts the background refresh, which fails
    await vi.waitFor(() => expect(jwks.requests).toBe(2), WAIT);
    const next = await createSigner(jwks.issuer, 'k2');
    const rotated = await next.sign();
    // Whether it joins the failing refresh or comes after it: keys cannot be had, no new fetch.
    await expectAuthError(verifier.verify(rotated), 'jwks_unavailable');
    jwks.mode = 'ok';
    jwks.setKeys(signer.jwk, next.jwk);
    advance(10_000);
    await expectAuthError(verifier.verify(rotated), 'jwks_unavailable');
    expect(jwks.requests).toBe(2);
    advance(20_000);
    expect((await verifier.verify(rotated)).userId).toBe('user_abc');
    expect(jwks.requests).toBe(3);
  });

  it('a removed key is accepted until the refresh after the freshness window, cached tokens included', async () => {
    useClock();
    const { jwks, signer } = await setup();
    const verifier = createVerifier({ issuer: jwks.issuer }); // with its token cache
    const token = await signer.sign();
    await verifier.verify(token);
    const next = await createSigner(jwks.issuer, 'k2');
    jwks.setKeys(next.jwk); // k1 removed at the issuer

    advance(5 * MINUTE - 1); // still fresh: the old set, no fetch
    expect((await verifier.verify(token)).userId).toBe('user_abc');
    expect((await verifier.verify(await signer.sign())).userId).toBe('user_abc');
    advance(1); // due: this request starts the refresh and is still checked against the old set
    expect((await verifier.verify(await signer.sign())).userId).toBe('user_abc');
    await vi.waitFor(() => expect(jwks.requests).toBe(2), WAIT);
    expect((await verifier.verify(await next.sign())).userId).toBe('user_abc'); // the new set
    await expectAuthError(verifier.verify(token), 'key_not_found');
    await expectAuthError(verifier.verify(await signer.sign()), 'key_not_found');
    expect(jwks.requests).toBe(3); // k1 is now an unknown kid: one refetch, then the cooldown
  });

  it('serves a due set at once and refreshes it in the background', async () => {
    useClock();
    const ctl = controlledFetch();
    const issuer = 'https://acme.torii.so';
    const signer = await createSigner(issuer);
    const verifier = createVerifier({ issuer, fetch: ctl.fetch, tokenCache: false });
    const token = await signer.sign();
    const first = verifier.verify(token);
    await vi.waitFor(() => expect(ctl.calls).toHaveLength(1), WAIT);
    ctl.calls[0]?.respond({ keys: [signer.jwk] });
    await first;
    expect(ctl.calls[0]?.url).toBe('https://acme.torii.so/_torii/.well-known/jwks.json');

    advance(5 * MINUTE);
    const fresh = await signer.sign();
    // The routine refresh is started but not awaited: the verify resolves while it hangs.
    await expect(verifier.verify(fresh)).resolves.toMatchObject({ userId: 'user_abc' });
    expect(ctl.calls).toHaveLength(2);
    await verifier.verify(fresh);
    expect(ctl.calls).toHaveLength(2); // one refresh in flight, shared
    ctl.calls[1]?.respond({ keys: [signer.jwk] });
  });

  it('warmup() fetches ahead of the first request', async () => {
    const { jwks, signer, verifier } = await setup();
    await verifier.warmup();
    expect(jwks.requests).toBe(1);
    await verifier.verify(await signer.sign());
    expect(jwks.requests).toBe(1);
  });

  it('shares one cache between verifiers of one issuer, not across fetch functions or tunables', async () => {
    const { jwks, signer } = await setup();
    const token = await signer.sign();
    await createVerifier({ issuer: jwks.issuer }).verify(token);
    await createVerifier({ issuer: `${jwks.issuer}/` }).verify(token);
    await createVerifier({ issuer: jwks.issuer, audience: undefined }).verify(token);
    expect(jwks.requests).toBe(1);
    const ownFetch: typeof fetch = (input, init) => fetch(input, init);
    await createVerifier({ issuer: jwks.issuer, fetch: ownFetch }).verify(token);
    await createVerifier({ issuer: jwks.issuer, fetch: ownFetch }).verify(token);
    expect(jwks.requests).toBe(2);
    await createVerifier({ issuer: jwks.issuer, jwksCache: { ttlMs: 1000 } }).verify(token);
    expect(jwks.requests).toBe(3);
  });
});

describe('JWKS cache: failures', () => {
  it.each<[JwksServerMode, string]>([
    ['down', 'failed'],
    ['500', 'HTTP 500'],
    ['html', 'not a JSON object'],
    ['oversized', 'larger than'],
    ['empty', 'no usable key'],
    ['slow', 'timed out'],
  ])('answers jwks_unavailable when nothing is cached and the JWKS is %s', async (mode, reason) => {
    const { jwks, signer, verifier } = await setup({ jwksCache: { timeoutMs: 200 } });
    jwks.mode = mode;
    jwks.slowMs = 5_000;
    const token = await signer.sign();
    const error = await expectAuthError(verifier.verify(token), 'jwks_unavailable', token);
    expect(error.message).toContain(reason);
    expect(error.message).toContain(jwks.issuer);
    expect(error.cause).toBeInstanceOf(JwksFetchError);
    expect(jwks.requests).toBe(1);
  });

  it('answers jwks_unavailable when the issuer port is closed', async () => {
    const closed = await server();
    const issuer = closed.issuer;
    await closed.close();
    servers.splice(servers.indexOf(closed), 1);
    const signer = await createSigner(issuer);
    await expectAuthError(
      createVerifier({ issuer }).verify(await signer.sign()),
      'jwks_unavailable',
    );
  });

  it('rate-limits failed fetches: no new request within the cooldown, then one', async () => {
    useClock();
    const { jwks, signer, verifier } = await setup();
    jwks.mode = '500';
    const token = await signer.sign();
    const first = await expectAuthError(verifier.verify(token), 'jwks_unavailable');
    expect((first.cause as JwksFetchError).retryAt).toBe(T0.getTime() + 30_000);
    await expectAuthError(verifier.verify(token), 'jwks_unavailable');
    await expectAuthError(verifier.warmup(), 'jwks_unavailable');
    expect(jwks.requests).toBe(1);
    jwks.mode = 'ok';
    advance(30_000);
    await verifier.verify(await signer.sign());
    expect(jwks.requests).toBe(2);
  });

  it('keeps verifying tokens under cached keys during an outage, up to the stale bound', async () => {
    useClock();
    const { jwks, signer, verifier } = await setup();
    await verifier.verify(await signer.sign());
    for (const mode of ['down', '500', 'html', 'oversized', 'empty'] as const) {
      jwks.mode = mode;
      advance(6 * MINUTE); // past the TTL: a refresh is attempted and fails
      expect((await verifier.verify(await signer.sign())).userId).toBe('user_abc');
    }
    const attempts = jwks.requests;
    expect(attempts).toBeGreaterThan(1);
    // Failures never evict good keys; past TTL + 24 h the set is no longer served.
    advance(24 * 60 * MINUTE);
    await expectAuthError(verifier.verify(await signer.sign()), 'jwks_unavailable');
    jwks.mode = 'ok';
    advance(30_000);
    expect((await verifier.verify(await signer.sign())).userId).toBe('user_abc');
  });

  it('a refetch that returns keys: [] or fails never evicts good keys', async () => {
    useClock();
    const { jwks, signer, verifier } = await setup();
    await verifier.verify(await signer.sign());
    jwks.mode = 'empty';
    advance(31_000);
    // An unknown kid triggers a refetch, which yields no key: k1 stays.
    const stranger = await createSigner(jwks.issuer, 'k9');
    await expectAuthError(verifier.verify(await stranger.sign()), 'jwks_unavailable');
    expect(jwks.requests).toBe(2);
    expect((await verifier.verify(await signer.sign())).userId).toBe('user_abc');
    jwks.mode = 'down';
    advance(31_000);
    await expectAuthError(verifier.verify(await stranger.sign()), 'jwks_unavailable');
    expect(jwks.requests).toBe(3);
    expect((await verifier.verify(await signer.sign())).userId).toBe('user_abc');
  });

  it('ignores RSA, oct, P-384 and use: enc keys of the served set', async () => {
    const { jwks, signer, verifier } = await setup();
    const enc = await createSigner(jwks.issuer, 'enc');
    jwks.setKeys(
      { kty: 'RSA', kid: 'rsa', n: 'sXch', e: 'AQAB' },
      { kty: 'oct', kid: 'oct', k: 'c2VjcmV0' },
      { kty: 'EC', crv: 'P-384', kid: 'p384', x: 'AA', y: 'AA' },
      { ...enc.jwk, use: 'enc' },
      signer.jwk,
    );
    expect((await verifier.verify(await signer.sign())).userId).toBe('user_abc');
    await expectAuthError(verifier.verify(await enc.sign()), 'key_not_found');
  });

  it('a newer fetch wins over an older one that finishes later', async () => {
    useClock();
    const ctl = controlledFetch();
    const issuer = 'https://acme.torii.so';
    const oldSigner = await createSigner(issuer, 'old');
    const newSigner = await createSigner(issuer, 'new');
    const verifier = createVerifier({
      issuer,
      fetch: ctl.fetch,
      tokenCache: false,
      jwksCache: { timeoutMs: 50 },
    });
    // Fetch 1 hangs past its timeout (the custom fetch ignores the abort signal).
    await expectAuthError(verifier.verify(await newSigner.sign()), 'jwks_unavailable');
    expect(ctl.calls).toHaveLength(1);
    advance(30_000);
    const second = verifier.verify(await newSigner.sign());
    await vi.waitFor(() => expect(ctl.calls).toHaveLength(2), WAIT);
    ctl.calls[1]?.respond({ keys: [newSigner.jwk] });
    expect((await second).userId).toBe('user_abc');
    // Fetch 1 finally answers, with the older set: it must not replace the newer one.
    ctl.calls[0]?.respond({ keys: [oldSigner.jwk] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await verifier.verify(await newSigner.sign())).userId).toBe('user_abc');
    // The old kid is unknown to the newer set: it refetches once, and is still unknown.
    const stale = verifier.verify(await oldSigner.sign());
    await vi.waitFor(() => expect(ctl.calls).toHaveLength(3), WAIT);
    ctl.calls[2]?.respond({ keys: [newSigner.jwk] });
    await expectAuthError(stale, 'key_not_found');
  });
});
