/**
 * The reason a JWKS could not be had, carried as the `cause` of a `jwks_unavailable` error.
 *
 * @module
 */

/**
 * A JWKS fetch failed (network error, timeout, non-200 status, oversized or non-JWKS body), or
 * fetching is paused after a failure. `retryAt` (ms since the epoch) is when the cache will try
 * again; HTTP answers turn it into `Retry-After`.
 */
export class JwksFetchError extends Error {
  override name = 'JwksFetchError';
  /** When the next fetch may happen, in ms since the epoch. */
  readonly retryAt: number;
  /** When the failed fetch started, in ms since the epoch. */
  readonly at: number;

  constructor(
    message: string,
    retryAt: number,
    options?: { cause?: unknown },
    at: number = Date.now(),
  ) {
    super(message, options);
    this.retryAt = retryAt;
    this.at = at;
  }
}
