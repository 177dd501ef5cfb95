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
   * Synchronously: is `key` still in the current, servable key set? The verified-token cache asks
   * this on every hit, so an entry whose key left the set is never served.
   */
  isCurrentKey(key: CryptoKey): boolean;
  /** Loads the keys ahead of the first request. Rejects with `ToriiAuthError` `jwks_unavailable`. */
  warmup(): Promise<void>;
}
