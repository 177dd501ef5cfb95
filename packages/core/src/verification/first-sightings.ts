/**
 * The admission filter of the verified-token cache: a token is cached the second time it verifies,
 * so tokens used once never enter it.
 *
 * @module
 */
import { tokenFingerprint } from './token-fingerprint.js';

/**
 * Remembers which tokens were verified recently, in a fixed table of 32-bit fingerprints
 * ({@link tokenFingerprint}: the token's last 16 chars), one per slot, overwritten on collision:
 * memory is fixed (4 bytes a slot) and nothing is ever allocated per token. "Recently" is about
 * the last `slots` first sightings: a fingerprint survives `n` later first sightings with
 * probability about `e^(-n / slots)`.
 *
 * Why: under a stream of tokens that each come once (batch jobs, a token per request, a flood of
 * valid tokens), caching each one would evict the active users' entries and churn long-lived
 * memory (every entry is promoted to the old generation, then collected) for hits that never come.
 * A token used again is cached from its second verification on. A fingerprint collision only
 * admits a token one verification early: it never serves anything.
 */
export class FirstSightings {
  readonly #table: Uint32Array;
  readonly #mask: number;

  /** @param slots - At least this many slots (rounded up to a power of two, at least 16). */
  constructor(slots: number) {
    let size = 16;
    while (size < slots) size *= 2;
    this.#table = new Uint32Array(size);
    this.#mask = size - 1;
  }

  /**
   * Whether `token` was seen recently; when it was not, it is remembered now (so the next call with
   * the same token answers `true`, unless other tokens took its slot meanwhile).
   *
   * @example
   * ```ts
   * const seen = new FirstSightings(16_384);
   * seen.seenBefore(token); // false: remembered now
   * seen.seenBefore(token); // true
   * ```
   */
  seenBefore(token: string): boolean {
    // Only verified tokens come here; `| 1` keeps 0 (an empty slot) out of the table.
    const hash = tokenFingerprint(token);
    const slot = hash & this.#mask;
    const fingerprint = (hash | 1) >>> 0;
    if (this.#table[slot] === fingerprint) return true;
    this.#table[slot] = fingerprint;
    return false;
  }
}
