/**
 * Public types of the REST client, derived from the types generated from `spec/server-v1.json`
 * (`src/generated/server-v1.ts`, never edited by hand).
 *
 * Spec quirks normalised here (docs/ARCHITECTURE.md, "REST client and webhooks"):
 * - Nullable enums (`locale`) are `type: ["string", "null"]` with `enum: ["en", "da"]`; strict
 *   JSON Schema would reject `null`. openapi-typescript 7 already emits `"en" | "da" | null`, and
 *   `types.test-d.ts` pins that `null` stays accepted.
 * - Ids and cursors are `format: uuid` in the spec, but they are plain `string`s here: the client
 *   never validates their format, always URL-encodes path segments and passes cursors back as is.
 *
 * @module
 */
import type { components } from '../generated/server-v1.js';
import type { ObservabilityOptions } from '../observability.js';

type Schemas = components['schemas'];

/** An end user of one of your environments, as the server API returns it. */
export type ToriiUser = Schemas['UserResponse'];

/** Lifecycle status of a user: `pending_verification`, `active`, `banned` or `deleted`. */
export type ToriiUserStatus = ToriiUser['status'];

/** A locale a user may prefer (`en`, `da`). `null` on a user means none is set. */
export type ToriiUserLocale = NonNullable<ToriiUser['locale']>;

/** An active session of an end user. */
export type ToriiSession = Schemas['UserSessionResponse'];

/**
 * An RFC 9457 `application/problem+json` error body. torii may add `code` and `supportId`, at the
 * top level or inside `properties`; {@link ToriiApiError} reads both places.
 */
export type ToriiProblemDetail = Schemas['ProblemDetail'] & {
  code?: string;
  supportId?: string;
  [member: string]: unknown;
};

/**
 * One page of users. `nextCursor` is `null` on the last page (the client turns an absent cursor
 * into `null`); pass it back unchanged as `cursor` to get the next page.
 */
export interface ToriiUserPage
  extends Omit<Schemas['CursorPageResponseUserResponse'], 'nextCursor'> {
  /** Opaque cursor of the next page, `null` on the last page. */
  nextCursor: string | null;
}

/**
 * Body of {@link ToriiUsers.create}. Every field is optional; give at least `email` if the user
 * should be able to sign in with email and password.
 */
export type CreateUserInput = Schemas['CreateUserRequest'];

/**
 * Tri-state patch of {@link ToriiUsers.update}: a value sets the field, `null` clears it, an
 * absent key (or `undefined`) leaves it alone. The body carries exactly the keys given.
 */
export type UpdateUserInput = Schemas['UpdateUserRequest'];

/**
 * Tri-state search filters: a value requires it (`name`/`email` are case-insensitive substring
 * matches), `null` requires the column to be null (not for `statuses`), an absent key (or
 * `undefined`) skips the filter. Read-only arrays are accepted for `statuses`.
 */
export type UserSearchFilters = Omit<Schemas['ServerUserSearchRequest'], 'statuses'> & {
  /** Users with any of these statuses. Not nullable. */
  statuses?: readonly ToriiUserStatus[];
};

/** Parameters of {@link ToriiUsers.list}: the search filters plus the page size and cursor. */
export type ListUsersParams = UserSearchFilters & {
  /** Page size (the server's default is 20). Sent in the query string. */
  limit?: number;
  /** `nextCursor` of the previous page, passed back unchanged. `null`/absent: first page. */
  cursor?: string | null;
};

/** Parameters of {@link ToriiUsers.listAll}: the search filters plus the page size. */
export type ListAllUsersParams = Omit<ListUsersParams, 'cursor'>;

/** What {@link ToriiClientOptions.onRetry} is told before the client waits and tries again. */
export interface ToriiRetryEvent {
  /** The operation, e.g. `users.get`. */
  operation: string;
  /** The attempt that just failed, starting at 1. */
  attempt: number;
  /** How long the client waits before the next attempt, in ms. */
  delayMs: number;
  /** Why: a retryable HTTP status, a network error or a timeout. */
  reason: 'status' | 'network' | 'timeout';
  /** The HTTP status when `reason` is `status`. */
  status?: number;
}

/**
 * Options of {@link ToriiClient}. An unknown option name is a `ToriiConfigError` (with a "did you
 * mean" for a misspelt one). The observability options (`logger`, `debug`, `onEvent`,
 * `telemetry`) report each attempt: a debug line per retry, a `rest_attempt` event, a span per
 * call and the `torii.rest.attempts` counter.
 */
export interface ToriiClientOptions extends ObservabilityOptions {
  /**
   * Your secret key (`sk_live_…` or `sk_test_…`) from the torii dashboard. Required: given here,
   * or in the `TORII_SECRET_KEY` environment variable.
   * @default the `TORII_SECRET_KEY` environment variable (where the runtime has one)
   */
  secretKey?: string;
  /**
   * Base URL of the torii server API. Must be `https:`; `http:` only for loopback hosts.
   * @default the `TORII_API_URL` environment variable, else 'https://api.torii.so'
   */
  apiUrl?: string;
  /** The `fetch` to use (a custom agent, a test double). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Timeout of each attempt, in ms, body included. @default 30_000 */
  timeoutMs?: number;
  /** Retries after the first attempt, for operations safe to repeat. @default 2 */
  maxRetries?: number;
  /** Base of the exponential backoff (full jitter), in ms. @default 500 */
  retryBaseMs?: number;
  /** Largest backoff between two attempts, in ms. @default 8_000 */
  retryMaxDelayMs?: number;
  /**
   * Longest `Retry-After` the client waits for, in ms. A longer one ends the retries at once and
   * the 429/503 is thrown, so you can reschedule the work yourself.
   * @default 60_000
   */
  maxRetryAfterMs?: number;
  /** Called before each retry (for logs and metrics). Must not throw. */
  onRetry?: (event: ToriiRetryEvent) => void;
}

/** Per-call options of every client method. */
export interface RequestOptions {
  /** Aborts the call at once, in flight or between retries; it rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Overrides {@link ToriiClientOptions.timeoutMs} for this call. */
  timeoutMs?: number;
  /** Overrides {@link ToriiClientOptions.maxRetries} for this call. */
  maxRetries?: number;
}
