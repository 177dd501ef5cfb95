/**
 * Validation of {@link ToriiClientOptions}, once, when the client is created.
 *
 * @module
 */
import { ToriiConfigError } from '../errors.js';
import { isLoopbackHost, redactUrl } from '../url-rules.js';
import type { ToriiClientOptions, ToriiRetryEvent } from './types.js';

/** The torii server API used when `apiUrl` is not given. */
export const DEFAULT_API_URL = 'https://api.torii.so';

/** The client options after validation, with every default filled in. */
export interface ClientConfig {
  secretKey: string;
  /** Normalised base URL, without a trailing slash. */
  apiUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxDelayMs: number;
  maxRetryAfterMs: number;
  onRetry: ((event: ToriiRetryEvent) => void) | undefined;
}

/**
 * Checks an API base URL: absolute, `https:` (or `http:` on a loopback host), no credentials,
 * query or fragment. Returns it without trailing slashes.
 */
export function normaliseApiUrl(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ToriiConfigError(
      `torii: apiUrl must be an absolute URL such as ${DEFAULT_API_URL} (got ${describe(value)}). Omit it to use the default.`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ToriiConfigError(
      `torii: apiUrl is not a valid absolute URL (got ${JSON.stringify(redactUrl(value))}). Use e.g. ${DEFAULT_API_URL}.`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ToriiConfigError(
      `torii: apiUrl must be an https URL (got ${url.protocol}//${url.host}). Use https, or a loopback host (localhost, 127.0.0.1, [::1]) for local development.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new ToriiConfigError(
      'torii: apiUrl must not contain credentials; the client authenticates with secretKey.',
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ToriiConfigError(
      `torii: apiUrl must not have a query or fragment (got ${url.origin}${url.pathname}${url.search}${url.hash}). Give the base URL only.`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a blank string';
  return typeof value;
}

function checkSecretKey(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new ToriiConfigError(
      `torii: secretKey is required (got ${value === undefined ? 'undefined' : describe(value)}). Pass the sk_live_… or sk_test_… key from your torii dashboard, e.g. new ToriiClient({ secretKey: process.env.TORII_SECRET_KEY }).`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(value)) {
    throw new ToriiConfigError(
      'torii: secretKey contains whitespace or control characters. Trim it (a trailing newline from an env file is the usual cause).',
    );
  }
  return value;
}

function checkNumber(name: string, value: unknown, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new ToriiConfigError(
      `torii: ${name} must be a ${integer ? 'non-negative integer' : 'non-negative finite number'} (got ${String(value)}). Omit it to use the default (${fallback}).`,
    );
  }
  return value;
}

/** Validates client options and fills in defaults. Throws {@link ToriiConfigError}. */
export function resolveClientConfig(options: ToriiClientOptions): ClientConfig {
  if (typeof options !== 'object' || options === null) {
    throw new ToriiConfigError(
      'torii: new ToriiClient(options) needs an options object with at least secretKey.',
    );
  }
  const secretKey = checkSecretKey(options.secretKey);
  const apiUrl = options.apiUrl === undefined ? DEFAULT_API_URL : normaliseApiUrl(options.apiUrl);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new ToriiConfigError('torii: fetch must be a function compatible with globalThis.fetch.');
  }
  if (options.onRetry !== undefined && typeof options.onRetry !== 'function') {
    throw new ToriiConfigError('torii: onRetry must be a function.');
  }
  const timeoutMs = checkNumber('timeoutMs', options.timeoutMs, 30_000, false);
  if (timeoutMs === 0) {
    throw new ToriiConfigError('torii: timeoutMs must be greater than 0. Omit it to use 30000.');
  }
  const custom = options.fetch;
  return {
    secretKey,
    apiUrl,
    // Resolve the global at call time and never call it as a method of another object: Workers
    // throw "Illegal invocation" when fetch loses its `this`.
    fetch: custom ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs,
    maxRetries: checkNumber('maxRetries', options.maxRetries, 2, true),
    retryBaseMs: checkNumber('retryBaseMs', options.retryBaseMs, 500, false),
    retryMaxDelayMs: checkNumber('retryMaxDelayMs', options.retryMaxDelayMs, 8_000, false),
    maxRetryAfterMs: checkNumber('maxRetryAfterMs', options.maxRetryAfterMs, 60_000, false),
    onRetry: options.onRetry,
  };
}
