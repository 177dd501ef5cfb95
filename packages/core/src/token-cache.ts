/**
 * The verified-token cache of one verifier: a bounded LRU keyed by the exact token string.
 *
 * @module
 */
import type { ToriiAuth } from './auth.js';

/** The default bound of the cache. */
export const DEFAULT_TOKEN_CACHE_ENTRIES = 10_000;

interface Entry {
  readonly auth: ToriiAuth;
  /** `(exp + tolerance) * 1000`: the entry is dead from this instant on. */
  readonly deadlineMs: number;
  /** The key that verified the token; the entry dies when it leaves the key set. */
  readonly key: CryptoKey;
}

/**
 * A bounded LRU of tokens this verifier already verified (a `Map`, whose insertion order is the
 * recency order). The key is the exact token string, so two different tokens can never share an
 * entry (fast-jwt GHSA-rp9m-7r4c-75qg), and a hit is served only while `now < exp + tolerance`
 * (GHSA-x937-hj6v-793p) and while the verifying key is still in the current key set. Only
 * successes are stored.
 *
 * @example
 * ```ts
 * const cache = new TokenCache(10_000);
 * const hit = cache.get(token, Date.now(), (key) => keys.isCurrentKey(key));
 * ```
 */
export class TokenCache {
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();

  /** @param maxEntries - Most tokens kept; the least recently used one is dropped beyond it. */
  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** Number of entries (live or not yet swept). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The cached auth of `token`, or `undefined` when it is not cached, is past its deadline, or its
   * key is no longer current (the dead entry is dropped).
   */
  get(
    token: string,
    nowMs: number,
    isCurrentKey: (key: CryptoKey) => boolean,
  ): ToriiAuth | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    this.#entries.delete(token);
    if (nowMs >= entry.deadlineMs || !isCurrentKey(entry.key)) return undefined;
    this.#entries.set(token, entry);
    return entry.auth;
  }

  /** Stores a verified token, evicting the least recently used entry beyond the bound. */
  set(token: string, auth: ToriiAuth, deadlineMs: number, key: CryptoKey): void {
    this.#entries.delete(token);
    this.#entries.set(token, { auth, deadlineMs, key });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
