/**
 * Every error the SDK throws is a {@link ToriiError}; switch on the subclass and its `code`.
 * Messages say what went wrong and what to do. They never contain a token or a secret.
 *
 * @module
 */

/** The closed set of reasons a token or request can fail authentication. */
export const ToriiAuthErrorCodes = [
  'token_missing',
  'token_malformed',
  'token_expired',
  'token_not_yet_valid',
  'signature_invalid',
  'algorithm_not_allowed',
  'issuer_mismatch',
  'audience_mismatch',
  'claims_invalid',
  'key_not_found',
  'jwks_unavailable',
] as const;

/** One of {@link ToriiAuthErrorCodes}. */
export type ToriiAuthErrorCode = (typeof ToriiAuthErrorCodes)[number];

/** The closed set of reasons a webhook can fail verification. */
export const ToriiWebhookErrorCodes = [
  'headers_missing',
  'timestamp_invalid',
  'timestamp_too_old',
  'timestamp_too_new',
  'signature_invalid',
  'secret_invalid',
  'payload_invalid',
] as const;

/** One of {@link ToriiWebhookErrorCodes}. */
export type ToriiWebhookErrorCode = (typeof ToriiWebhookErrorCodes)[number];

/**
 * Base class of every error thrown by torii packages.
 *
 * @example
 * ```ts
 * try { await verifyToken(token, { issuer }) }
 * catch (err) { if (err instanceof ToriiError) log.warn(err.message) }
 * ```
 */
export class ToriiError extends Error {
  override name = 'ToriiError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A token or request failed authentication. `code` says why; `cause` carries the underlying
 * error where there is one (a failed JWKS fetch, say).
 */
export class ToriiAuthError extends ToriiError {
  override name = 'ToriiAuthError';
  /** Why authentication failed. */
  readonly code: ToriiAuthErrorCode;

  constructor(code: ToriiAuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** An option given to the SDK is invalid. Thrown when the object is created, never per request. */
export class ToriiConfigError extends ToriiError {
  override name = 'ToriiConfigError';
}

/** A webhook failed verification. `code` says why. */
export class ToriiWebhookError extends ToriiError {
  override name = 'ToriiWebhookError';
  /** Why verification failed. */
  readonly code: ToriiWebhookErrorCode;

  constructor(code: ToriiWebhookErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
