/**
 * Validation of {@link ToriiClientOptions}, once, when the client is created.
 *
 * @module
 */
import { readEnv } from '../shared/env.js';
import { globalFetch } from '../shared/global-fetch.js';
import { OBSERVABILITY_OPTION_KEYS, type Observer, resolveObserver } from '../shared/observer.js';
import {
  checkFunction,
  checkKnownKeys,
  checkNumber,
  describeValue,
  failOption,
  isRecord,
} from '../shared/option-checks.js';
import { normalizeServiceUrl } from '../shared/url-rules.js';
import type { ToriiClientOptions, ToriiRetryEvent } from './types.js';

/** The torii server API used when `apiUrl` is not given. */
export const DEFAULT_API_URL = 'https://api.torii.so';

/** Every option of {@link ToriiClientOptions}. */
export const CLIENT_OPTION_KEYS: readonly string[] = Object.freeze([
  'secretKey',
  'apiUrl',
  'fetch',
  'timeoutMs',
  'maxRetries',
  'retryBaseMs',
  'retryMaxDelayMs',
  'maxRetryAfterMs',
  'onRetry',
  ...OBSERVABILITY_OPTION_KEYS,
]);

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
  /** Where logs, events, spans and counters go. */
  observer: Observer;
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
export function normalizeApiUrl(value: unknown, name = 'apiUrl'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    failOption(
      `${name} must be an absolute URL such as ${DEFAULT_API_URL} (got ${describeValue(value)}). Omit it to use the default.`,
    );
  }
  return normalizeServiceUrl(value, name, `e.g. ${DEFAULT_API_URL}; omit it to use the default`);
}

function checkSecretKey(given: unknown): string {
  let value = given;
  let name = 'secretKey';
  if (value === undefined) {
    value = readEnv('TORII_SECRET_KEY');
    name = 'secretKey (from TORII_SECRET_KEY)';
    if (value === undefined) {
      failOption(
        'secretKey is required: pass the sk_live_… or sk_test_… key from your torii dashboard, e.g. new ToriiClient({ secretKey }), or set the TORII_SECRET_KEY environment variable.',
      );
    }
  }
  if (typeof value !== 'string' || value === '') {
    failOption(
      `secretKey is required (got ${describeValue(value)}). Pass the sk_live_… or sk_test_… key from your torii dashboard, or omit it and set the TORII_SECRET_KEY environment variable.`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(value)) {
    failOption(
      `${name} contains whitespace or control characters. Trim it (a trailing newline from an env file is the usual cause).`,
    );
  }
  return value;
}

function apiUrlOf(given: unknown): string {
  if (given !== undefined) return normalizeApiUrl(given);
  const fromEnv = readEnv('TORII_API_URL');
  return fromEnv === undefined
    ? DEFAULT_API_URL
    : normalizeApiUrl(fromEnv, 'apiUrl (from TORII_API_URL)');
}

/**
 * Validates client options and fills in defaults: `secretKey` and `apiUrl` come from
 * `TORII_SECRET_KEY` and `TORII_API_URL` when omitted (explicit options win). Throws
 * {@link ToriiConfigError}, also for an unknown or misspelt option name.
 */
export function resolveClientConfig(options: ToriiClientOptions = {}): ClientConfig {
  if (!isRecord(options)) {
    failOption(
      'new ToriiClient(options) takes an options object, e.g. { secretKey } (or none, with TORII_SECRET_KEY set).',
    );
  }
  checkKnownKeys(options, CLIENT_OPTION_KEYS, 'new ToriiClient()');
  const secretKey = checkSecretKey(options.secretKey);
  const apiUrl = apiUrlOf(options.apiUrl);
  checkFunction(options.fetch, 'fetch', 'compatible with globalThis.fetch');
  checkFunction(options.onRetry, 'onRetry', '(event) => void');
  const nonNegative = { min: 0 };
  return {
    secretKey,
    apiUrl,
    fetch: (options.fetch as typeof fetch | undefined) ?? globalFetch,
    timeoutMs: checkNumber(options.timeoutMs, 'timeoutMs', 30_000, { min: 0, exclusive: true }),
    maxRetries: checkNumber(options.maxRetries, 'maxRetries', 2, { min: 0, integer: true }),
    retryBaseMs: checkNumber(options.retryBaseMs, 'retryBaseMs', 500, nonNegative),
    retryMaxDelayMs: checkNumber(options.retryMaxDelayMs, 'retryMaxDelayMs', 8_000, nonNegative),
    maxRetryAfterMs: checkNumber(options.maxRetryAfterMs, 'maxRetryAfterMs', 60_000, nonNegative),
    onRetry: options.onRetry as ClientConfig['onRetry'],
    observer: resolveObserver(options),
  };
}
