/**
 * Where a verifier gets its keys: the shared remote JWKS cache, or a static key set.
 *
 * @module
 */
import type { KeySetStatus } from '../observability.js';
import type { MaybePromise } from '../shared/maybe-promise.js';
import type { Observer } from '../shared/observer.js';

/**
 * A source of ES256 verification keys. `observer` is where a key set fetch that the call starts
 * is reported (the verifier's); it defaults to the console.
 */
export interface KeySource {
  /**
   * The key for a token's `kid` (or the only key, for a token without `kid`): the key itself when
   * it is at hand (no await on the hot path), else a promise. Throws or rejects with
   * `ToriiAuthError` `key_not_found` or `jwks_unavailable`.
   */
  getKey(kid: string | undefined, observer?: Observer): MaybePromise<CryptoKey>;
  /**
   * Synchronously: does `kid` still select `key` in the current, servable key set (exactly as
   * {@link KeySource.getKey} would)? The verified-token cache asks this on every hit, so an entry
   * is never served once its key left the set, its `kid` names another key, or its `kid` became
   * ambiguous.
   */
  isCurrentKey(kid: string | undefined, key: CryptoKey, observer?: Observer): boolean;
  /** Loads the keys ahead of the first request. Rejects with `ToriiAuthError` `jwks_unavailable`. */
  warmup(observer?: Observer): Promise<void>;
  /** The state of the key set now, for health checks. */
  status(): KeySetStatus;
}
