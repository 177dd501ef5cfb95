/**
 * Validation of every verifier option, once, when the verifier is created.
 *
 * @module
 */
import type { ClaimRules } from './claims.js';
import { ToriiConfigError } from './errors.js';
import { jwksUrlOf, normalizeIssuer } from './issuer.js';
import { DEFAULT_JWKS_CACHE_SETTINGS, type JwksCacheSettings } from './jwks/jwks-cache.js';
import { isEs256VerificationJwk } from './jwks/key-filter.js';
import { DEFAULT_MAX_TOKEN_BYTES } from './jwt/compact-jws.js';
import type { AuthenticateOptions, ToriiJwks } from './options.js';
import { DEFAULT_TOKEN_CACHE_ENTRIES } from './token-cache.js';

/** The default clock tolerance, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SEC = 30;

/** Every option of a verifier, checked and with its defaults applied. */
export interface VerifierConfig {
  readonly claims: ClaimRules;
  readonly jwksUrl: string;
  readonly maxTokenBytes: number;
  readonly jwks: ToriiJwks | null;
  readonly fetch: typeof fetch | undefined;
  readonly jwksCache: JwksCacheSettings;
  /** `0` when the token cache is off. */
  readonly tokenCacheEntries: number;
  /** Lower-case header name carrying `Bearer <token>`. */
  readonly header: string;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function fail(message: string): never {
  throw new ToriiConfigError(`torii: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function number(
  value: unknown,
  name: string,
  fallback: number,
  rule: { min: number; integer?: boolean },
): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= rule.min &&
    (!rule.integer || Number.isInteger(value));
  if (!ok) {
    const kind = rule.integer ? 'an integer' : 'a finite number';
    fail(`${name} must be ${kind} >= ${rule.min} (got ${JSON.stringify(value) ?? String(value)}).`);
  }
  return value;
}

function audienceOf(value: unknown): readonly string[] | null {
  if (value === undefined) return null;
  const list = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((a) => typeof a === 'string' && a.length > 0)
  ) {
    fail('audience must be a non-empty string or a non-empty array of non-empty strings.');
  }
  return Object.freeze([...list]);
}

function jwksOf(value: unknown): ToriiJwks | null {
  if (value === undefined) return null;
  if (!isRecord(value) || !Array.isArray(value.keys)) {
    fail('jwks must be a JSON Web Key Set: { keys: [...] }.');
  }
  if (!value.keys.some(isEs256VerificationJwk)) {
    fail(
      'jwks has no usable key: torii verifies ES256 only, with public keys of kty "EC", crv "P-256" (no "d"), alg "ES256" or absent and use "sig" or absent.',
    );
  }
  return value as unknown as ToriiJwks;
}

function tokenCacheEntriesOf(value: unknown): number {
  if (value === false) return 0;
  if (value === undefined || value === true) return DEFAULT_TOKEN_CACHE_ENTRIES;
  if (!isRecord(value)) fail('tokenCache must be false or { maxEntries?: number }.');
  return number(value.maxEntries, 'tokenCache.maxEntries', DEFAULT_TOKEN_CACHE_ENTRIES, {
    min: 1,
    integer: true,
  });
}

function jwksCacheOf(value: unknown): JwksCacheSettings {
  if (value === undefined) return DEFAULT_JWKS_CACHE_SETTINGS;
  if (!isRecord(value)) fail('jwksCache must be an object of tunables, e.g. { ttlMs: 300000 }.');
  const d = DEFAULT_JWKS_CACHE_SETTINGS;
  return Object.freeze({
    ttlMs: number(value.ttlMs, 'jwksCache.ttlMs', d.ttlMs, { min: 1 }),
    cooldownMs: number(value.cooldownMs, 'jwksCache.cooldownMs', d.cooldownMs, { min: 0 }),
    timeoutMs: number(value.timeoutMs, 'jwksCache.timeoutMs', d.timeoutMs, { min: 1 }),
    maxStaleMs: number(value.maxStaleMs, 'jwksCache.maxStaleMs', d.maxStaleMs, { min: 0 }),
    maxBytes: number(value.maxBytes, 'jwksCache.maxBytes', d.maxBytes, { min: 1, integer: true }),
  });
}

function headerOf(value: unknown): string {
  if (value === undefined) return 'authorization';
  if (typeof value !== 'string' || !HEADER_NAME.test(value)) {
    fail(
      `header must be an HTTP header name such as 'authorization' (got ${JSON.stringify(value)}).`,
    );
  }
  return value.toLowerCase();
}

/**
 * Checks every option and applies the defaults. Called once per verifier (and per adapter
 * instance), never per request.
 *
 * @throws {@link ToriiConfigError} naming the option and the fix
 *
 * @example
 * ```ts
 * const config = resolveVerifierConfig({ issuer: 'https://acme.torii.so' });
 * config.jwksUrl; // 'https://acme.torii.so/_torii/.well-known/jwks.json'
 * ```
 */
export function resolveVerifierConfig(options: AuthenticateOptions): VerifierConfig {
  if (!isRecord(options)) {
    fail("options are required, e.g. createVerifier({ issuer: 'https://acme.torii.so' }).");
  }
  const issuer = normalizeIssuer(options.issuer);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    fail('fetch must be a fetch-compatible function.');
  }
  return Object.freeze({
    claims: Object.freeze({
      issuer,
      audience: audienceOf(options.audience),
      clockToleranceSec: number(
        options.clockTolerance,
        'clockTolerance',
        DEFAULT_CLOCK_TOLERANCE_SEC,
        {
          min: 0,
        },
      ),
    }),
    jwksUrl: jwksUrlOf(issuer),
    maxTokenBytes: number(options.maxTokenBytes, 'maxTokenBytes', DEFAULT_MAX_TOKEN_BYTES, {
      min: 16,
      integer: true,
    }),
    jwks: jwksOf(options.jwks),
    fetch: options.fetch,
    jwksCache: jwksCacheOf(options.jwksCache),
    tokenCacheEntries: tokenCacheEntriesOf(options.tokenCache),
    header: headerOf(options.header),
  });
}
