/**
 * Validation of {@link ToriiClientOptions}, once, when the client is created.
 *
 * @module
 */
import { globalFetch } from '../shared/global-fetch.js';
import {
  checkFunction,
  checkNumber,
  describeValue,
  failOption,
  isRecord,
} from '../shared/option-checks.js';
import { normalizeServiceUrl } from '../shared/url-rules.js';
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
 * Checks an API base URL with the rules every configured service URL keeps (see
 * `normalizeServiceUrl`: absolute, `https:` or `http:` on loopback, no credentials, query,
 * fragment or rewritten path) and returns it without trailing slashes.
 *
 * @example
 * ```ts
 * normalizeApiUrl('https://api.torii.so/'); // 'https://api.torii.so'
 * ```
 */
export function normalizeApiUrl(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    failOption(
      `apiUrl must be an absolute URL such as ${DEFAULT_API_URL} (got ${describeValue(value)}). Omit it to use the default.`,
    );
  }
  return normalizeServiceUrl(
    value,
    'apiUrl',
    `e.g. ${DEFAULT_API_URL}; omit it to use the default`,
  );
}

function checkSecretKey(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    failOption(
      `secretKey is required (got ${value === undefined ? 'undefined' : describeValue(value)}). Pass the sk_live_… or sk_test_… key from your torii dashboard, e.g. new ToriiClient({ secretKey: process.env.TORII_SECRET_KEY }).`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(value)) {
    failOption(
      'secretKey contains whitespace or control characters. Trim it (a trailing newline from an env file is the usual cause).',
    );
  }
  return value;
}

/** Validates client options and fills in defaults. Throws {@link ToriiConfigError}. */
export function resolveClientConfig(options: ToriiClientOptions): ClientConfig {
  if (!isRecord(options)) {
    failOption('new ToriiClient(options) needs an options object with at least secretKey.');
  }
  const secretKey = checkSecretKey(options.secretKey);
  const apiUrl = options.apiUrl === undefined ? DEFAULT_API_URL : normalizeApiUrl(options.apiUrl);
  checkFunction(options.fetch, 'fetch', 'compatible with globalThis.fetch');
  checkFunction(options.onRetry, 'onRetry', '(event) => void');
  const nonNegative = { min: 0 };
  return {
    secretKey,
    apiUrl,
    fetch: options.fetch ?? globalFetch,
    timeoutMs: checkNumber(options.timeoutMs, 'timeoutMs', 30_000, { min: 0, exclusive: true }),
    maxRetries: checkNumber(options.maxRetries, 'maxRetries', 2, { min: 0, integer: true }),
    retryBaseMs: checkNumber(options.retryBaseMs, 'retryBaseMs', 500, nonNegative),
    retryMaxDelayMs: checkNumber(options.retryMaxDelayMs, 'retryMaxDelayMs', 8_000, nonNegative),
    maxRetryAfterMs: checkNumber(options.maxRetryAfterMs, 'maxRetryAfterMs', 60_000, nonNegative),
    onRetry: options.onRetry,
  };
}
