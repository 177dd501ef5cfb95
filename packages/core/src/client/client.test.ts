import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToriiConfigError } from '../errors.js';
import { DEFAULT_API_URL, ToriiClient, type ToriiClientOptions } from './index.js';

const SECRET = 'sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

function configError(options: unknown): ToriiConfigError {
  try {
    new ToriiClient(options as ToriiClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ToriiConfigError);
    return error as ToriiConfigError;
  }
  throw new Error('expected a ToriiConfigError');
}

beforeEach(() => {
  vi.stubEnv('TORII_SECRET_KEY', '');
  vi.stubEnv('TORII_API_URL', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('construction', () => {
  it('uses https://api.torii.so by default', () => {
    expect(new ToriiClient({ secretKey: SECRET }).apiUrl).toBe('https://api.torii.so');
    expect(DEFAULT_API_URL).toBe('https://api.torii.so');
  });

  it.each([undefined, null, '', 42])('rejects secretKey %j before any request', (secretKey) => {
    let called = false;
    const error = configError({
      secretKey,
      fetch: () => {
        called = true;
        return Promise.resolve(new Response('{}'));
      },
    });
    expect(error.message).toMatch(/secretKey is required/);
    expect(called).toBe(false);
  });

  it('rejects a missing options object when TORII_SECRET_KEY is unset, naming both', () => {
    expect(configError(undefined).message).toMatch(/secretKey is required.*TORII_SECRET_KEY/);
  });

  it('rejects options that are not an object', () => {
    expect(configError('sk_live_x').message).toMatch(/takes an options object/);
  });

  it('rejects a secretKey with a trailing newline without echoing it', () => {
    const error = configError({ secretKey: `${SECRET}\n` });
    expect(error.message).toMatch(/whitespace or control characters/);
    expect(error.message).not.toContain(SECRET);
  });

  it.each([
    ['http://api.torii.so', /must be an https URL/],
    ['http://api.localhost', /must be an https URL/],
    ['http://10.0.0.1:8080', /must be an https URL/],
    ['ftp://api.torii.so', /must be an https URL/],
    ['api.torii.so', /must be an absolute URL/],
    ['', /must be an absolute URL/],
    ['https://user:pw@api.torii.so', /must not contain credentials/],
    ['https://api.torii.so/?x=1', /credentials, a query or a fragment/],
    // The issuer's rules, shared: what URL parsing would silently rewrite is refused.
    ['https://api.torii.so/v1/../admin', /"\.\." path segment/],
    ['https://api.torii.so/%2e%2e/admin', /"\.\." path segment/],
    ['https://api.torii.so\\v1', /backslash/],
    ['https://api.torii.so/v\t1', /line break/],
    [' https://api.torii.so', /whitespace/],
  ])('rejects apiUrl %s', (apiUrl, message) => {
    const error = configError({ secretKey: SECRET, apiUrl });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('pw@');
  });

  it('never shows a password from an apiUrl it cannot parse', () => {
    const error = configError({
      secretKey: SECRET,
      apiUrl: 'https://user:s3cret@api torii.so/?k=v',
    });
    expect(error.message).toMatch(/must be an absolute URL/);
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain('k=v');
  });

  it.each([
    ['https://api.torii.so/', 'https://api.torii.so'],
    ['https://eu.api.torii.so/base//', 'https://eu.api.torii.so/base'],
    ['http://localhost:4000', 'http://localhost:4000'],
    ['http://127.0.0.1:4000/', 'http://127.0.0.1:4000'],
    ['http://[::1]:4000', 'http://[::1]:4000'],
  ])('accepts apiUrl %s as %s', (apiUrl, expected) => {
    expect(new ToriiClient({ secretKey: SECRET, apiUrl }).apiUrl).toBe(expected);
  });

  it.each([
    ['timeoutMs', 0],
    ['timeoutMs', -1],
    ['timeoutMs', Number.NaN],
    ['maxRetries', 1.5],
    ['maxRetries', -1],
    ['retryBaseMs', Number.POSITIVE_INFINITY],
    ['maxRetryAfterMs', '10'],
  ])('rejects %s = %s', (name, value) => {
    expect(configError({ secretKey: SECRET, [name]: value }).message).toMatch(name);
  });

  it('rejects a fetch or onRetry that is not a function', () => {
    expect(configError({ secretKey: SECRET, fetch: 'fetch' }).message).toMatch(
      /fetch must be a function/,
    );
    expect(configError({ secretKey: SECRET, onRetry: 1 }).message).toMatch(
      /onRetry must be a function/,
    );
  });
});

describe('the secret key is never exposed', () => {
  const torii = new ToriiClient({ secretKey: SECRET, timeoutMs: 5000, maxRetries: 1 });

  it('toJSON redacts it', () => {
    expect(torii.toJSON()).toEqual({
      apiUrl: 'https://api.torii.so',
      secretKey: '[redacted]',
      timeoutMs: 5000,
      maxRetries: 1,
    });
    expect(JSON.stringify({ torii })).not.toContain(SECRET);
  });

  it('util.inspect redacts it, also deep, hidden, and on the resources', () => {
    const shown = inspect(torii, { depth: Number.POSITIVE_INFINITY, showHidden: true });
    expect(shown).toContain("secretKey: '[redacted]'");
    expect(shown).not.toContain(SECRET);
    for (const part of [torii.users, torii.sessions]) {
      expect(inspect(part, { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(
        SECRET,
      );
      expect(JSON.stringify(part)).not.toContain(SECRET);
    }
  });

  it('is not reachable through enumerable or own properties', () => {
    const seen = new Set<unknown>();
    const walk = (value: unknown): void => {
      if (typeof value === 'string') expect(value).not.toContain(SECRET);
      if (typeof value !== 'object' || value === null || seen.has(value)) return;
      seen.add(value);
      for (const key of Reflect.ownKeys(value)) walk((value as Record<PropertyKey, unknown>)[key]);
    };
    walk(torii);
  });
});
