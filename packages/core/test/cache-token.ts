/**
 * Putting a token into a verifier's verified-token cache, as traffic does.
 *
 * @module
 */
import { expect } from 'vitest';
import type { TokenVerifier } from '../src/verification/verifier.js';

/**
 * Verifies `token` twice (a token enters the cache on its second verification) and asserts that
 * it is cached now: the cache holds one more entry than before (the same number when it was
 * full: the least recently used one made room). Returns the auth.
 *
 * @example
 * ```ts
 * await cacheToken(verifier, token); // the next verify(token) is a cache hit
 * ```
 */
export async function cacheToken(verifier: TokenVerifier, token: string) {
  const before = verifier.status().tokenCache?.size ?? 0;
  await verifier.verify(token);
  expect(verifier.status().tokenCache?.size ?? 0, 'cached on the first verification').toBe(before);
  const auth = await verifier.verify(token);
  const cache = verifier.status().tokenCache;
  expect(cache?.size, 'cached on the second verification').toBe(
    Math.min(before + 1, cache?.maxEntries ?? 0),
  );
  return auth;
}
