/**
 * The verified-token cache of one verifier: a bounded LRU keyed by the exact token string.
 *
 * @module
 */
import type { ToriiAuth } from '../auth.js';

/** The default bound of the cache. */
export const DEFAULT_TOKEN_CACHE_ENTRIES = 10_000;

/** One verified token, as the verifier stores it. */
export interface TokenCacheEntry {
  readonly auth: ToriiAuth;
  /**
   * `(max(iat, nbf) - tolerance) * 1000`: before this instant the token is not valid yet (the
   * clock stepped back), and the entry is not served.
   */
  readonly validFromMs: number;
  /** `(exp + tolerance) * 1000`: the entry is dead from this instant on. */
  readonly deadlineMs: number;
  /** The token's `kid` (absent for a kid-less token). */
  readonly kid: string | undefined;
  /** The key that verified the token; the entry dies when `kid` no longer selects it. */
  readonly key: CryptoKey;
}

/**
 * Whether `kid` still selects `key` in the current key set (see `KeySource.isCurrentKey`).
 */
export type IsCurrentKey = (kid: string | undefined, key: CryptoKey) => boolean;

/**
 * A bounded LRU of tokens this verifier already verified (a `Map`, whose insertion order is the
 * recency order). The key is the exact token string, so two different tokens can never share an
 * entry (fast-jwt GHSA-rp9m-7r4c-75qg). A hit is served only when a fresh verification would
 * give the same answer: while `validFromMs <= now < deadlineMs` (so never once expired,
 * GHSA-x937-hj6v-793p, nor when the clock stepped back before `nbf`/`iat`) and while the token's
 * `kid` still selects the key that verified it (a key that left the set, a `kid` rebound to
 * another key, a kid-less token once the set has several keys). Only successes are stored.
 *
 * @example
 * ```ts
 * const cache = new TokenCache(10_000);
 * const hit = cache.get(token, Date.now(), (kid, key) => keys.isCurrentKey(kid, key));
 * ```
 */
export class TokenCache {
  readonly #maxEntries: number;
  readonly #entries = new Map<string, TokenCacheEntry>();

  /** @param maxEntries - Most tokens kept; the least recently used one is dropped beyond it. */
  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** Number of entries (live or not yet swept). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The cached auth of `token`, or `undefined` when it is not cached, lies outside its validity
   * window at `nowMs`, or its key is no longer current (the entry is dropped: a fresh verification
   * gives the exact answer).
   */
  get(token: string, nowMs: number, isCurrentKey: IsCurrentKey): ToriiAuth | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    this.#entries.delete(token);
    if (
      nowMs >= entry.deadlineMs ||
      nowMs < entry.validFromMs ||
      !isCurrentKey(entry.kid, entry.key)
    ) {
      return undefined;
    }
    this.#entries.set(token, entry);
    return entry.auth;
  }

  /** Stores a verified token, evicting the least recently used entry beyond the bound. */
  set(token: string, entry: TokenCacheEntry): void {
    this.#entries.delete(token);
    this.#entries.set(token, entry);
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
