/**
 * The process-wide registry of JWKS caches: verifiers of one issuer share one cache.
 *
 * @module
 */
import { JwksCache, type JwksCacheSettings } from './jwks-cache.js';

type CachesByKey = Map<string, JwksCache>;

/** Caches of verifiers that use the global `fetch`. */
const withGlobalFetch: CachesByKey = new Map();
/** Caches of verifiers with a custom `fetch`, per function (collected with it). */
const withCustomFetch = new WeakMap<typeof fetch, CachesByKey>();

/** Calls the global `fetch` as it is at call time (so a runtime's or test's replacement is used). */
const globalFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

/**
 * The shared {@link JwksCache} for a JWKS URL, `fetch` function and set of tunables, created on
 * first use. Caches are keyed by the full URL (so by issuer), never by `kid` alone.
 *
 * @param url - The JWKS URL.
 * @param fetchFn - A custom `fetch`, or `undefined` for the global one.
 * @param settings - Resolved tunables; verifiers with different tunables get different caches.
 *
 * @example
 * ```ts
 * const keys = sharedJwksCache(`${issuer}/_torii/.well-known/jwks.json`, undefined, DEFAULT_JWKS_CACHE_SETTINGS);
 * ```
 */
export function sharedJwksCache(
  url: string,
  fetchFn: typeof fetch | undefined,
  settings: JwksCacheSettings,
): JwksCache {
  let caches = withGlobalFetch;
  if (fetchFn !== undefined) {
    caches = withCustomFetch.get(fetchFn) ?? new Map();
    withCustomFetch.set(fetchFn, caches);
  }
  const key = [
    url,
    settings.ttlMs,
    settings.cooldownMs,
    settings.timeoutMs,
    settings.maxStaleMs,
    settings.maxBytes,
  ].join(' ');
  let cache = caches.get(key);
  if (cache === undefined) {
    cache = new JwksCache(url, fetchFn ?? globalFetch, settings);
    caches.set(key, cache);
  }
  return cache;
}
