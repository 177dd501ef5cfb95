/**
 * The verified-token cache of one verifier: a bounded LRU keyed by the exact token string, O(1)
 * per hit, insert and eviction.
 *
 * @module
 */
import type { ToriiAuth } from '../auth.js';
import { tokenFingerprint } from './token-fingerprint.js';

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
 * A bounded LRU of tokens this verifier already verified. An entry is served only to the exact token
 * string it was stored for, so two different tokens can never share an entry (fast-jwt
 * GHSA-rp9m-7r4c-75qg). A hit is served only when a fresh verification would give the same answer:
 * while `validFromMs <= now < deadlineMs` (so never once expired, GHSA-x937-hj6v-793p, nor when the
 * clock stepped back before `nbf`/`iat`) and while the token's `kid` still selects the key that
 * verified it (a key that left the set, a `kid` rebound to another key, a kid-less token once the
 * set has several keys). Only successes are stored.
 *
 * Hit, insert and eviction are O(1) at any size and in the token's length: a `Map` from the token's
 * 30-bit fingerprint ({@link tokenFingerprint}) finds its slot, and the slot's token is compared
 * with the one asked for (a different token with the same fingerprint is a miss; storing it takes
 * the slot over). Keying the `Map` by the token itself would hash the whole token on every request,
 * since each request's token is a new string (~0.6 µs for a 400-char token). The recency order
 * is a doubly linked list threaded through slot arrays (`#newer`/`#older`), so a hit relinks one
 * slot instead of deleting and re-inserting the `Map` entry (which costs O(size) per hit in V8 once
 * the map is full: the eviction scan walks over the deleted holes).
 *
 * @example
 * ```ts
 * const cache = new TokenCache(10_000);
 * const hit = cache.get(token, Date.now(), (kid, key) => keys.isCurrentKey(kid, key));
 * ```
 */
export class TokenCache {
  readonly #maxEntries: number;
  /** Fingerprint → slot. */
  readonly #slots = new Map<number, number>();
  /** Per slot: the token and its entry (`undefined` in a free slot). */
  readonly #tokens: (string | undefined)[] = [];
  readonly #entries: (TokenCacheEntry | undefined)[] = [];
  /** Per slot: the next more recently / less recently used slot, `-1` at either end. */
  readonly #newer: number[] = [];
  readonly #older: number[] = [];
  /** Slots freed by dropped entries, reused before new ones. */
  readonly #free: number[] = [];
  /** The most and the least recently used slot, `-1` when empty. */
  #newest = -1;
  #oldest = -1;

  /** @param maxEntries - Most tokens kept; the least recently used one is dropped beyond it. */
  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** Number of entries (live or not yet swept). */
  get size(): number {
    return this.#slots.size;
  }

  /** The most tokens kept. */
  get maxEntries(): number {
    return this.#maxEntries;
  }

  /**
   * The cached auth of `token`, or `undefined` when it is not cached, lies outside its validity
   * window at `nowMs`, or its key is no longer current (the entry is dropped: a fresh verification
   * gives the exact answer).
   */
  get(token: string, nowMs: number, isCurrentKey: IsCurrentKey): ToriiAuth | undefined {
    const slot = this.#slots.get(tokenCacheKey(token));
    if (slot === undefined || this.#tokens[slot] !== token) return undefined;
    const entry = this.#entries[slot] as TokenCacheEntry;
    if (
      nowMs >= entry.deadlineMs ||
      nowMs < entry.validFromMs ||
      !isCurrentKey(entry.kid, entry.key)
    ) {
      this.#drop(slot);
      return undefined;
    }
    if (slot !== this.#newest) {
      this.#unlink(slot);
      this.#linkNewest(slot);
    }
    return entry.auth;
  }

  /** Stores a verified token, evicting the least recently used entry beyond the bound. */
  set(token: string, entry: TokenCacheEntry): void {
    const key = tokenCacheKey(token);
    let slot = this.#slots.get(key);
    if (slot !== undefined) {
      // The same token again, or another one with its fingerprint: either way it takes the slot.
      this.#tokens[slot] = token;
      this.#entries[slot] = entry;
      this.#unlink(slot);
      this.#linkNewest(slot);
      return;
    }
    if (this.#slots.size >= this.#maxEntries) this.#drop(this.#oldest);
    slot = this.#free.pop() ?? this.#tokens.length;
    this.#tokens[slot] = token;
    this.#entries[slot] = entry;
    this.#slots.set(key, slot);
    this.#linkNewest(slot);
  }

  #drop(slot: number): void {
    this.#unlink(slot);
    this.#slots.delete(tokenCacheKey(this.#tokens[slot] as string));
    this.#tokens[slot] = undefined;
    this.#entries[slot] = undefined;
    this.#free.push(slot);
  }

  #unlink(slot: number): void {
    const newer = this.#newer[slot] as number;
    const older = this.#older[slot] as number;
    if (newer === -1) this.#newest = older;
    else this.#older[newer] = older;
    if (older === -1) this.#oldest = newer;
    else this.#newer[older] = newer;
  }

  #linkNewest(slot: number): void {
    this.#newer[slot] = -1;
    this.#older[slot] = this.#newest;
    if (this.#newest === -1) this.#oldest = slot;
    else this.#newer[this.#newest] = slot;
    this.#newest = slot;
  }
}

/**
 * A token's key in the cache's `Map`: its fingerprint cut to 30 bits, a small integer for V8 on
 * every platform. Exported for the cache's tests, which build tokens with equal keys.
 */
export function tokenCacheKey(token: string): number {
  return tokenFingerprint(token) >>> 2;
}
