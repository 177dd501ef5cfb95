/**
 * The process-wide registry of JWKS caches: verifiers of one issuer share one cache, and the
 * registry's own memory stays bounded however many issuers come and go.
 *
 * @module
 */
import { globalFetch } from '../shared/global-fetch.js';
import { JwksCache, type JwksCacheSettings } from './jwks-cache.js';

/**
 * Most caches the registry itself keeps alive (the most recently used ones), so that one-shot
 * `verifyToken` calls keep sharing keys. A cache still used by a live verifier is shared beyond
 * this bound too (it is found through a weak reference); one that nothing uses any more is
 * collected. Without the bound, an application that builds verifiers for ever new issuers (one
 * per tenant, or from request data) would grow the process without limit.
 */
export const MAX_RETAINED_JWKS_CACHES = 1000;

/** A number per custom `fetch` function, for the registry key (collected with the function). */
const fetchIds = new WeakMap<typeof fetch, number>();
let lastFetchId = 0;

/** The most recently used caches, held strongly, least recent first (a `Map` keeps that order). */
const recent = new Map<string, JwksCache>();

/** Every cache still alive, held weakly; absent where the runtime has no `WeakRef`. */
const alive: Map<string, WeakRef<JwksCache>> | null =
  typeof WeakRef === 'function' ? new Map() : null;
const cleanup =
  alive !== null && typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<string>((key) => {
        if (alive.get(key)?.deref() === undefined) alive.delete(key);
      })
    : null;

function keyOf(
  url: string,
  fetchFn: typeof fetch | undefined,
  settings: JwksCacheSettings,
): string {
  let fetchId = 0;
  if (fetchFn !== undefined) {
    fetchId = fetchIds.get(fetchFn) ?? ++lastFetchId;
    fetchIds.set(fetchFn, fetchId);
  }
  return [
    fetchId,
    settings.ttlMs,
    settings.cooldownMs,
    settings.timeoutMs,
    settings.maxStaleMs,
    settings.maxBytes,
    url,
  ].join(' ');
}

function retain(key: string, cache: JwksCache): void {
  recent.delete(key);
  recent.set(key, cache);
  if (recent.size > MAX_RETAINED_JWKS_CACHES) {
    const oldest = recent.keys().next();
    if (!oldest.done) recent.delete(oldest.value);
  }
}

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
  const key = keyOf(url, fetchFn, settings);
  let cache = recent.get(key) ?? alive?.get(key)?.deref();
  if (cache === undefined) {
    cache = new JwksCache(url, fetchFn ?? globalFetch, settings);
    alive?.set(key, new WeakRef(cache));
    cleanup?.register(cache, key);
  }
  retain(key, cache);
  return cache;
}

/**
 * How many caches the registry itself keeps alive: at most {@link MAX_RETAINED_JWKS_CACHES}.
 *
 * @internal For tests; not exported from the package.
 *
 * @example
 * ```ts
 * retainedJwksCacheCount(); // 1
 * ```
 */
export function retainedJwksCacheCount(): number {
  return recent.size;
}
