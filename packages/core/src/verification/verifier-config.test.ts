import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToriiConfigError } from '../errors.js';
import { createVerifier, headerNameOf } from '../http/request-verifier.js';
import type { AuthenticateOptions } from '../options.js';
import { resolveVerifierConfig } from './verifier-config.js';

const ISSUER = 'https://acme.torii.so';
const P256 = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};

function configError(options: unknown): ToriiConfigError {
  try {
    createVerifier(options as AuthenticateOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ToriiConfigError);
    return error as ToriiConfigError;
  }
  throw new Error('expected a ToriiConfigError');
}

// Nothing from the environment of the machine running the tests (item: env config tests).
beforeEach(() => {
  vi.stubEnv('TORII_ISSUER', '');
  vi.stubEnv('TORII_DEBUG', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('issuer', () => {
  it.each([
    [undefined, /issuer option is required/],
    ['', /issuer option is required/],
    [42, /issuer option is required/],
    ['acme.torii.so', /absolute URL/],
    [
      'http://acme.torii.so',
      /https URL \(got http:\/\/acme\.torii\.so\)\. Use https, or a loopback host/,
    ],
    ['http://10.0.0.1:8080', /https URL/],
    ['http://app.localhost', /https URL/],
    ['http://127.0.0.1.evil.com', /https URL/],
    ['ftp://acme.torii.so', /https URL/],
    ['https://user:pass@acme.torii.so', /credentials, a query or a fragment/],
    ['https://acme.torii.so?tenant=1', /credentials, a query or a fragment/],
    ['https://acme.torii.so#x', /credentials, a query or a fragment/],
    [' https://acme.torii.so', /whitespace/],
  ])('refuses %j when the verifier is created', (issuer, message) => {
    expect(configError({ issuer }).message).toMatch(message);
  });

  it.each([
    ['https://acme.torii.so', 'https://acme.torii.so'],
    ['https://acme.torii.so///', 'https://acme.torii.so'],
    ['https://torii.example.com/tenant/', 'https://torii.example.com/tenant'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://127.0.0.1:4000/', 'http://127.0.0.1:4000'],
    ['http://127.5.6.7', 'http://127.5.6.7'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
  ])('accepts %s as %s', (issuer, normalised) => {
    const config = resolveVerifierConfig({ issuer });
    expect(config.claims.issuer).toBe(normalised);
    expect(config.jwksUrl).toBe(`${normalised}/_torii/.well-known/jwks.json`);
  });
});

describe('other options', () => {
  it('applies the documented defaults', () => {
    const config = resolveVerifierConfig({ issuer: ISSUER });
    expect(config).toEqual({
      claims: { issuer: ISSUER, audience: null, clockToleranceSec: 30 },
      jwksUrl: `${ISSUER}/_torii/.well-known/jwks.json`,
      maxTokenBytes: 8192,
      jwks: null,
      fetch: undefined,
      jwksCache: {
        ttlMs: 300_000,
        cooldownMs: 30_000,
        timeoutMs: 5_000,
        maxStaleMs: 86_400_000,
        maxBytes: 65_536,
      },
      tokenCacheEntries: 10_000,
      observer: expect.objectContaining({ debugEnabled: false, listening: false, tracer: null }),
    });
  });

  it.each([
    [
      'options missing (and TORII_ISSUER unset)',
      undefined,
      /issuer option is required.*TORII_ISSUER/,
    ],
    ['audience ""', { audience: '' }, /audience must be/],
    ['audience []', { audience: [] }, /audience must be/],
    ['audience [1]', { audience: [1] }, /audience must be/],
    [
      'clockTolerance -1',
      { clockTolerance: -1 },
      /clockTolerance must be a finite number >= 0 \(got -1\)/,
    ],
    ['clockTolerance "30"', { clockTolerance: '30' }, /clockTolerance must be/],
    ['clockTolerance NaN', { clockTolerance: Number.NaN }, /clockTolerance must be/],
    ['maxTokenBytes 1.5', { maxTokenBytes: 1.5 }, /maxTokenBytes must be an integer/],
    ['maxTokenBytes 0', { maxTokenBytes: 0 }, /maxTokenBytes must be/],
    ['jwks not a key set', { jwks: [P256] }, /jwks must be a JSON Web Key Set/],
    [
      'jwks without a usable key',
      { jwks: { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB' }] } },
      /jwks has no usable key/,
    ],
    ['fetch not a function', { fetch: 'https://proxy' }, /fetch must be/],
    ['jwksCache not an object', { jwksCache: 5 }, /jwksCache must be an object/],
    ['jwksCache.ttlMs 0', { jwksCache: { ttlMs: 0 } }, /jwksCache\.ttlMs must be/],
    ['jwksCache.cooldownMs -1', { jwksCache: { cooldownMs: -1 } }, /jwksCache\.cooldownMs must be/],
    [
      'jwksCache.timeoutMs Infinity',
      { jwksCache: { timeoutMs: Number.POSITIVE_INFINITY } },
      /jwksCache\.timeoutMs must be/,
    ],
    [
      'jwksCache.maxBytes 1.5',
      { jwksCache: { maxBytes: 1.5 } },
      /jwksCache\.maxBytes must be an integer/,
    ],
    ['tokenCache "yes"', { tokenCache: 'yes' }, /tokenCache must be false or/],
    [
      'tokenCache.maxEntries 0',
      { tokenCache: { maxEntries: 0 } },
      /tokenCache\.maxEntries must be/,
    ],
    ['header ""', { header: '' }, /header must be an HTTP header name/],
  ])('refuses %s', (_, change, message) => {
    const options = change === undefined ? undefined : { issuer: ISSUER, ...change };
    expect(configError(options).message).toMatch(message);
  });

  it('refuses options that are not an object', () => {
    expect(configError('https://acme.torii.so').message).toMatch(/options must be an object/);
  });

  it('resolves the given values', () => {
    const fetchFn: typeof fetch = (input, init) => fetch(input, init);
    const config = resolveVerifierConfig({
      issuer: ISSUER,
      audience: ['a', 'b'],
      clockTolerance: 0,
      maxTokenBytes: 4096,
      jwks: { keys: [P256] },
      fetch: fetchFn,
      jwksCache: { ttlMs: 1000, cooldownMs: 0 },
      tokenCache: false,
    });
    expect(config).toMatchObject({
      claims: { audience: ['a', 'b'], clockToleranceSec: 0 },
      maxTokenBytes: 4096,
      jwks: { keys: [P256] },
      fetch: fetchFn,
      jwksCache: { ttlMs: 1000, cooldownMs: 0, timeoutMs: 5000 },
      tokenCacheEntries: 0,
    });
    expect(resolveVerifierConfig({ issuer: ISSUER, audience: 'api' }).claims.audience).toEqual([
      'api',
    ]);
    expect(
      resolveVerifierConfig({ issuer: ISSUER, tokenCache: { maxEntries: 5 } }).tokenCacheEntries,
    ).toBe(5);
  });
});

describe('the header option (checked by the HTTP layer)', () => {
  it('defaults to authorization and lower-cases a given name', () => {
    expect(headerNameOf(undefined)).toBe('authorization');
    expect(headerNameOf('X-Session')).toBe('x-session');
  });
});
