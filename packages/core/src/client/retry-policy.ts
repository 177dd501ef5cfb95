/**
 * When to retry, and how long to wait: exponential backoff with full jitter, `Retry-After`, and
 * the failures that prove a request never reached the server.
 *
 * @module
 */
import { onAbort } from './abort-signal.js';

/** HTTP statuses worth another attempt: rate limited, or a gateway/server that is briefly down. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Full-jitter backoff: a random delay in `[0, min(maxMs, baseMs * 2^retryIndex))`.
 * `retryIndex` is 0 before the first retry.
 */
export function backoffDelay(
  retryIndex: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Returns the wait in ms
 * (a date in the past is 0), or `undefined` when the header is absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Error codes, across runtimes, of a connection that was never established. */
const NOT_CONNECTED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ConnectionRefused',
]);

/**
 * True when a fetch failure proves the request never left the client (refused connection, DNS
 * failure, unreachable host), so that even a non-idempotent request may be sent again. Walks the
 * `cause` chain; unknown errors answer `false` (the request may have landed).
 */
export function neverReachedServer(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_CONNECTED_CODES.has(code)) return true;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every(neverReachedServer)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Waits `ms`, or rejects with `signal.reason` as soon as the signal aborts. Shares the signal's one
 * listener with every other call (see `abort-signal.ts`).
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let stopWatching = (): void => undefined;
    const timer = setTimeout(() => {
      stopWatching();
      resolve();
    }, ms);
    if (signal !== undefined) {
      stopWatching = onAbort(signal, () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    }
  });
}
