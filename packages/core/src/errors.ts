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
 * Sets `Error.stackTraceLimit` to 0 and returns the previous value (`undefined` when the runtime
 * does not let it be changed), for {@link ToriiAuthError}.
 */
function suppressStackTrace(): number | undefined {
  const previous = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 0;
  } catch {
    return undefined;
  }
  return previous;
}

/**
 * A token or request failed authentication. `code` says why; `cause` carries the underlying
 * error where there is one (a failed JWKS fetch, say).
 *
 * It carries no stack trace (`stack` is the name and message): it is an answer about a token, not
 * a fault in the code that asked, and capturing one costs more than the rest of a refusal (about
 * 5 µs of the ~6 µs of creating it, measured), which a flood of bad tokens would pay per request.
 */
export class ToriiAuthError extends ToriiError {
  override name = 'ToriiAuthError';
  /** Why authentication failed. */
  readonly code: ToriiAuthErrorCode;

  constructor(code: ToriiAuthErrorCode, message: string, options?: { cause?: unknown }) {
    const limit = suppressStackTrace();
    super(message, options);
    if (limit !== undefined) Error.stackTraceLimit = limit;
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

/** What {@link ToriiApiError} is built from: the status and what the error body and headers carry. */
export interface ToriiApiErrorDetails {
  /** HTTP status of the answer. */
  status: number;
  /** Machine-readable error code, when the body carries one (`code`, or `properties.code`). */
  code?: string | undefined;
  /** Correlation id to quote to torii support, when the body carries one. */
  supportId?: string | undefined;
  /** `title` of the `application/problem+json` body, else the HTTP status text. */
  title?: string | undefined;
  /** `detail` of the `application/problem+json` body. */
  detail?: string | undefined;
  /** `type` URI of the `application/problem+json` body. */
  type?: string | undefined;
  /** `instance` URI of the `application/problem+json` body. */
  instance?: string | undefined;
  /** The request id the server sent back in `x-request-id` (or `request-id`), if any. */
  requestId?: string | undefined;
  /** The parsed JSON body, the raw text when it is not JSON, or `undefined` when empty. */
  body?: unknown;
}

/**
 * The torii server API answered with a non-2xx status. Read `status` and `code` to decide what to
 * do; quote `supportId` (or `requestId`) to torii support. When the API or a proxy echoes the
 * secret key back, `ToriiClient` replaces it with `[redacted secret key]` in the message, every
 * field and every string of `body`, so logging the error (`util.inspect`, `JSON.stringify`) never
 * prints the key.
 *
 * @example
 * ```ts
 * try { await torii.users.get(userId) }
 * catch (err) {
 *   if (err instanceof ToriiApiError && err.status === 404) return null;
 *   throw err;
 * }
 * ```
 */
export class ToriiApiError extends ToriiError {
  override name = 'ToriiApiError';
  /** HTTP status of the answer. */
  readonly status: number;
  /** Machine-readable error code, when the body carries one. */
  readonly code: string | undefined;
  /** Correlation id to quote to torii support, when the body carries one. */
  readonly supportId: string | undefined;
  /** `title` of the problem, else the HTTP status text. */
  readonly title: string | undefined;
  /** `detail` of the problem. */
  readonly detail: string | undefined;
  /** `type` URI of the problem. */
  readonly type: string | undefined;
  /** `instance` URI of the problem. */
  readonly instance: string | undefined;
  /** The request id header the server sent, if any. */
  readonly requestId: string | undefined;
  /** The parsed JSON body, the raw text when it is not JSON, or `undefined` when empty. */
  readonly body: unknown;

  constructor(message: string, details: ToriiApiErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.status = details.status;
    this.code = details.code;
    this.supportId = details.supportId;
    this.title = details.title;
    this.detail = details.detail;
    this.type = details.type;
    this.instance = details.instance;
    this.requestId = details.requestId;
    this.body = details.body;
  }

  /**
   * The error as plain data, for `JSON.stringify` and structured loggers: `name`, `message` and
   * every field above. Errors built by `ToriiClient` never carry the secret key in any of them.
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      code: this.code,
      supportId: this.supportId,
      title: this.title,
      detail: this.detail,
      type: this.type,
      instance: this.instance,
      requestId: this.requestId,
      body: this.body,
    };
  }
}
