/**
 * Where a verifier gets its keys: the shared remote JWKS cache, or a static key set.
 *
 * @module
 */

/** A source of ES256 verification keys. */
export interface KeySource {
  /**
   * The key for a token's `kid` (or the only key, for a token without `kid`). Rejects with
   * `ToriiAuthError` `key_not_found` or `jwks_unavailable`.
   */
  getKey(kid: string | undefined): Promise<CryptoKey>;
  /**
   * Synchronously: does `kid` still select `key` in the current, servable key set (exactly as
   * {@link KeySource.getKey} would)? The verified-token cache asks this on every hit, so an entry
   * is never served once its key left the set, its `kid` names another key, or its `kid` became
   * ambiguous.
   */
  isCurrentKey(kid: string | undefined, key: CryptoKey): boolean;
  /** Loads the keys ahead of the first request. Rejects with `ToriiAuthError` `jwks_unavailable`. */
  warmup(): Promise<void>;
}
