import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type JwksServer, startJwksServer } from '../../test/jwks-server.js';
import { type PinoCapture, pinoCapture } from '../../test/pino-capture.js';
import { createSigner, type TestSigner } from '../../test/signer.js';
import { ToriiAuthError } from '../errors.js';
import { createAuthGuard } from './auth-guard.js';
import { createVerifier } from './request-verifier.js';

// Health (verifier.status()) and the startup check (guard.ready(), with startup: 'warn' | 'fail').

let jwks: JwksServer;
let signer: TestSigner;
let log: PinoCapture;

beforeEach(async () => {
  vi.stubEnv('TORII_DEBUG', '');
  jwks = await startJwksServer();
  signer = await createSigner(jwks.issuer, 'k1');
  jwks.setKeys(signer.jwk);
  log = pinoCapture('debug');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
  await jwks.close();
});

const JWKS_URL = () => `${jwks.issuer}/_torii/.well-known/jwks.json`;

describe('verifier.status()', () => {
  it('says nothing is loaded before the first fetch, and never fetches by itself', () => {
    const verifier = createVerifier({ issuer: jwks.issuer });
    expect(verifier.status()).toEqual({
      ready: false,
      issuer: jwks.issuer,
      keys: {
        source: 'remote',
        url: JWKS_URL(),
        loaded: false,
        keyCount: 0,
        fetchedAt: null,
        ageMs: null,
        fresh: false,
        usable: false,
        lastError: null,
        fetching: false,
        coolingDown: false,
        nextFetchAt: null,
      },
      tokenCache: { size: 0, maxEntries: 10_000 },
    });
    expect(jwks.requests).toBe(0);
  });

  it('reports the loaded key set, its age and freshness, and the token cache', async () => {
    const verifier = createVerifier({
      issuer: jwks.issuer,
      tokenCache: { maxEntries: 5 },
      jwksCache: { ttlMs: 60_000, cooldownMs: 10_000 },
    });
    const before = Date.now();
    const token = await signer.sign();
    await verifier.verify(token);
    await verifier.verify(token); // cached on its second verification
    const status = verifier.status();
    expect(status).toMatchObject({
      ready: true,
      keys: { loaded: true, keyCount: 1, fresh: true, usable: true, lastError: null },
      tokenCache: { size: 1, maxEntries: 5 },
    });
    expect(Date.parse(status.keys.fetchedAt ?? '')).toBeGreaterThanOrEqual(before - 1);
    expect(status.keys.ageMs).toBeGreaterThanOrEqual(0);
    expect(status.keys.coolingDown).toBe(true);
    expect(Date.parse(status.keys.nextFetchAt ?? '')).toBeGreaterThan(Date.now());
    // JSON-safe, as a /health route sends it
    expect(JSON.parse(JSON.stringify(status))).toEqual(status);
  });

  it('reports the last fetch error and the cooldown while the issuer is down', async () => {
    jwks.mode = '500';
    const verifier = createVerifier({
      issuer: jwks.issuer,
      logger: false,
      tokenCache: false,
      jwksCache: { cooldownMs: 30_000 },
    });
    await expect(verifier.warmup()).rejects.toBeInstanceOf(ToriiAuthError);
    const status = verifier.status();
    expect(status).toMatchObject({
      ready: false,
      keys: { loaded: false, usable: false, coolingDown: true, fetching: false },
      tokenCache: null,
    });
    expect(status.keys.lastError?.message).toBe(
      `torii: could not fetch the JWKS at ${JWKS_URL()}: the JWKS endpoint answered HTTP 500 instead of 200`,
    );
    const next = Date.parse(status.keys.nextFetchAt ?? '');
    const at = Date.parse(status.keys.lastError?.at ?? '');
    expect(next - at).toBe(30_000);
  });

  it('stays ready on stale keys after a failed refresh, with the error and fresh: false', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const verifier = createVerifier({
      issuer: jwks.issuer,
      logger: false,
      jwksCache: { ttlMs: 1_000, cooldownMs: 0 },
    });
    await verifier.warmup();
    jwks.mode = 'down';
    vi.setSystemTime(Date.now() + 5_000);
    await verifier.warmup(); // servable: starts the background refresh, which fails
    await vi.waitFor(() => expect(verifier.status().keys.lastError).not.toBeNull());
    expect(verifier.status()).toMatchObject({
      ready: true,
      keys: { loaded: true, fresh: false, usable: true, keyCount: 1 },
    });
  });

  it('reports a static key set as loaded once imported', async () => {
    const verifier = createVerifier({ issuer: jwks.issuer, jwks: { keys: [signer.jwk] } });
    expect(verifier.status()).toMatchObject({
      ready: false,
      keys: { source: 'static', url: null },
    });
    await verifier.warmup();
    expect(verifier.status()).toMatchObject({
      ready: true,
      keys: { source: 'static', loaded: true, keyCount: 1, fresh: true, usable: true },
    });
    expect(jwks.requests).toBe(0);
  });
});

describe('guard.ready(): the startup check', () => {
  it('fetches the key set and resolves with the status', async () => {
    const guard = createAuthGuard({ issuer: jwks.issuer, logger: log.logger });
    await expect(guard.ready()).resolves.toMatchObject({ ready: true, keys: { keyCount: 1 } });
    expect(guard.status().ready).toBe(true);
    expect(jwks.requests).toBe(1);
    expect(log.lines()).toEqual([]);
  });

  it("by default (startup: 'warn') logs one clear warning and resolves: the app still starts", async () => {
    jwks.mode = 'down';
    const guard = createAuthGuard({ issuer: jwks.issuer, logger: log.logger });
    const status = await guard.ready();
    expect(status.ready).toBe(false);
    expect(status.keys.lastError?.message).toMatch(/could not fetch the JWKS/);
    expect(log.at('warn')).toEqual([
      expect.stringMatching(
        /^torii: cannot fetch the issuer's key set from .* \(trigger: startup\): .*Check the issuer option/,
      ),
    ]);
  });

  it("with startup: 'fail' rejects with jwks_unavailable, naming the URL and the fix", async () => {
    jwks.mode = 'html';
    const guard = createAuthGuard({ issuer: jwks.issuer, logger: log.logger, startup: 'fail' });
    const error = await guard.ready().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToriiAuthError);
    expect((error as ToriiAuthError).code).toBe('jwks_unavailable');
    expect((error as ToriiAuthError).message).toContain(JWKS_URL());
    expect((error as ToriiAuthError).message).toMatch(/Check that the issuer URL is right/);
  });

  it("refuses a startup value other than 'warn' or 'fail'", () => {
    expect(() => createAuthGuard({ issuer: jwks.issuer, startup: 'crash' as 'fail' })).toThrow(
      /startup must be 'warn' .* or 'fail'/,
    );
  });
});
