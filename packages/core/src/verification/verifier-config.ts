/**
 * Validation of every verifier option, once, when the verifier is created.
 *
 * @module
 */
import { DEFAULT_JWKS_CACHE_SETTINGS, type JwksCacheSettings } from '../jwks/jwks-cache.js';
import { jwksUrlOf } from '../jwks/jwks-url.js';
import { isEs256VerificationJwk } from '../jwks/key-filter.js';
import { DEFAULT_MAX_TOKEN_BYTES } from '../jwt/compact-jws.js';
import type { ToriiJwks, VerifyOptions } from '../options.js';
import { OBSERVABILITY_OPTION_KEYS, type Observer, resolveObserver } from '../shared/observer.js';
import {
  checkFunction,
  checkKnownKeys,
  checkNumber,
  failOption,
  isRecord,
} from '../shared/option-checks.js';
import type { ClaimRules } from './claims.js';
import { normalizeIssuer } from './issuer.js';
import { DEFAULT_TOKEN_CACHE_ENTRIES } from './token-cache.js';

/** Every option a verifier takes ({@link VerifyOptions}). */
export const VERIFY_OPTION_KEYS: readonly string[] = Object.freeze([
  'issuer',
  'audience',
  'clockTolerance',
  'maxTokenBytes',
  'jwks',
  'fetch',
  'jwksCache',
  'tokenCache',
  ...OBSERVABILITY_OPTION_KEYS,
]);

const JWKS_CACHE_KEYS = ['ttlMs', 'cooldownMs', 'timeoutMs', 'maxStaleMs', 'maxBytes'] as const;

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
  /** Where logs, events, spans and counters go. */
  readonly observer: Observer;
}

function audienceOf(value: unknown): readonly string[] | null {
  if (value === undefined) return null;
  const list = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((a) => typeof a === 'string' && a.length > 0)
  ) {
    failOption('audience must be a non-empty string or a non-empty array of non-empty strings.');
  }
  return Object.freeze([...list]);
}

function jwksOf(value: unknown): ToriiJwks | null {
  if (value === undefined) return null;
  if (!isRecord(value) || !Array.isArray(value.keys)) {
    failOption('jwks must be a JSON Web Key Set: { keys: [...] }.');
  }
  if (!value.keys.some(isEs256VerificationJwk)) {
    failOption(
      'jwks has no usable key: torii verifies ES256 only, with public keys of kty "EC", crv "P-256" (no "d"), alg "ES256" or absent and use "sig" or absent.',
    );
  }
  return value as unknown as ToriiJwks;
}

function tokenCacheEntriesOf(value: unknown): number {
  if (value === false) return 0;
  if (value === undefined || value === true) return DEFAULT_TOKEN_CACHE_ENTRIES;
  if (!isRecord(value)) failOption('tokenCache must be false or { maxEntries?: number }.');
  checkKnownKeys(value, ['maxEntries'], 'tokenCache');
  return checkNumber(value.maxEntries, 'tokenCache.maxEntries', DEFAULT_TOKEN_CACHE_ENTRIES, {
    min: 1,
    integer: true,
  });
}

function jwksCacheOf(value: unknown): JwksCacheSettings {
  if (value === undefined) return DEFAULT_JWKS_CACHE_SETTINGS;
  if (!isRecord(value)) {
    failOption('jwksCache must be an object of tunables, e.g. { ttlMs: 300000 }.');
  }
  checkKnownKeys(value, JWKS_CACHE_KEYS, 'jwksCache');
  const d = DEFAULT_JWKS_CACHE_SETTINGS;
  return Object.freeze({
    ttlMs: checkNumber(value.ttlMs, 'jwksCache.ttlMs', d.ttlMs, { min: 1 }),
    cooldownMs: checkNumber(value.cooldownMs, 'jwksCache.cooldownMs', d.cooldownMs, { min: 0 }),
    timeoutMs: checkNumber(value.timeoutMs, 'jwksCache.timeoutMs', d.timeoutMs, { min: 1 }),
    maxStaleMs: checkNumber(value.maxStaleMs, 'jwksCache.maxStaleMs', d.maxStaleMs, { min: 0 }),
    maxBytes: checkNumber(value.maxBytes, 'jwksCache.maxBytes', d.maxBytes, {
      min: 1,
      integer: true,
    }),
  });
}

/**
 * Checks every verification option and applies the defaults. Called once per verifier (and per
 * adapter instance), never per request. Options of the HTTP layer (`header`, `optional`, …) are
 * checked there, and so is the list of known option names (each entry point knows its own).
 * The issuer comes from `TORII_ISSUER` when the option is omitted.
 *
 * @throws {@link ToriiConfigError} naming the option and the fix
 *
 * @example
 * ```ts
 * const config = resolveVerifierConfig({ issuer: 'https://acme.torii.so' });
 * config.jwksUrl; // 'https://acme.torii.so/_torii/.well-known/jwks.json'
 * ```
 */
export function resolveVerifierConfig(
  options: VerifyOptions = {},
  observer?: Observer,
): VerifierConfig {
  if (!isRecord(options)) {
    failOption(
      "options must be an object, e.g. createVerifier({ issuer: 'https://acme.torii.so' }) (or omit them and set TORII_ISSUER).",
    );
  }
  const issuer = normalizeIssuer(options.issuer);
  checkFunction(options.fetch, 'fetch', 'compatible with globalThis.fetch');
  const reporter = observer ?? resolveObserver(options);
  return Object.freeze({
    claims: Object.freeze({
      issuer,
      audience: audienceOf(options.audience),
      clockToleranceSec: checkNumber(
        options.clockTolerance,
        'clockTolerance',
        DEFAULT_CLOCK_TOLERANCE_SEC,
        { min: 0 },
      ),
    }),
    jwksUrl: jwksUrlOf(issuer),
    maxTokenBytes: checkNumber(options.maxTokenBytes, 'maxTokenBytes', DEFAULT_MAX_TOKEN_BYTES, {
      min: 16,
      integer: true,
    }),
    jwks: jwksOf(options.jwks),
    fetch: options.fetch as typeof fetch | undefined,
    jwksCache: jwksCacheOf(options.jwksCache),
    tokenCacheEntries: tokenCacheEntriesOf(options.tokenCache),
    observer: reporter,
  });
}
