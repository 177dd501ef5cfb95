/**
 * What torii tells the application about itself: the logger it writes to, the typed events it
 * emits, the OpenTelemetry tracer and meter it reports to, and the status of a verifier.
 *
 * @module
 */
import type { ToriiAuthErrorCode } from './errors.js';

/**
 * Where torii writes its log lines. pino, console, winston, bunyan and Fastify's `request.log` /
 * `app.log` fit as they are; `@torii/nest` adapts Nest's `Logger` (which has `log` instead of
 * `info`). torii calls each method with one complete line (`torii: …`): no format arguments and
 * no object, so every logger prints the same thing. The structured form of the same facts is in
 * the events (`onEvent`) and in OpenTelemetry.
 *
 * What is logged:
 * - `warn`: the issuer's key set cannot be fetched, once per outage, with the URL and the cause;
 * - `info`: the key set could be fetched again after an outage;
 * - `error`: an `onEvent` listener threw (once per verifier or client);
 * - `debug` (only with `debug: true` or `TORII_DEBUG=1`): every denied request with its code and
 *   reason, every key set fetch with its trigger and outcome, every REST attempt that is retried.
 *
 * Lines never contain a token or a secret.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * import { createVerifier } from '@torii/core';
 *
 * const verifier = createVerifier({ issuer: 'https://acme.torii.so', logger: pino() });
 * ```
 */
export interface ToriiLogger {
  /** Detail for debugging; sent only when debug logging is on. */
  debug(message: string): unknown;
  /** The key set is back after an outage. */
  info(message: string): unknown;
  /** The key set cannot be fetched (once per outage). */
  warn(message: string): unknown;
  /** A listener of torii's events threw. */
  error(message: string): unknown;
}

/**
 * Why a key set fetch started:
 * - `startup`: no key set was loaded yet (`ready()`/`warmup()`, or the first token);
 * - `scheduled`: the set is older than `jwksCache.ttlMs` (refreshed in the background), or too old
 *   to be used;
 * - `unknown_kid`: a token named a key the set does not have (a key rotation, at most once per
 *   `jwksCache.cooldownMs`).
 */
export type JwksFetchTrigger = 'startup' | 'scheduled' | 'unknown_kid';

/**
 * One token verification: `outcome` is `ok` or the {@link ToriiAuthErrorCode} it failed with;
 * `cacheHit` says whether the verified-token cache answered (no signature check).
 */
export interface ToriiVerificationEvent {
  type: 'verification';
  /** The verifier's issuer. */
  issuer: string;
  outcome: 'ok' | ToriiAuthErrorCode;
  cacheHit: boolean;
}

/**
 * One fetch of an issuer's key set (JWKS). Verifiers of one issuer share the key set; a fetch is
 * reported to the verifier whose call started it.
 */
export interface ToriiJwksFetchEvent {
  type: 'jwks_fetch';
  /** The JWKS URL fetched. */
  url: string;
  trigger: JwksFetchTrigger;
  outcome: 'ok' | 'error';
  /** Usable keys in the fetched set (`0` on error). */
  keyCount: number;
  /** Why the fetch failed (`outcome: 'error'`): a message safe to log. */
  error?: string;
  /** How long the fetch took, in ms. */
  durationMs: number;
}

/** One attempt of a REST call of `ToriiClient`. */
export interface ToriiRestAttemptEvent {
  type: 'rest_attempt';
  /** The operation, e.g. `users.get`. */
  operation: string;
  /** The HTTP method. */
  method: string;
  /** The attempt, starting at 1. */
  attempt: number;
  /** `ok` for a 2xx answer (or a delete that counts as done), else `error`. */
  outcome: 'ok' | 'error';
  /** The HTTP status, when the server answered. */
  status?: number;
  /** Why the attempt failed: an HTTP status, a network error or a timeout. */
  reason?: 'status' | 'network' | 'timeout';
  /** Whether the client tries again after this attempt. */
  willRetry: boolean;
  /** How long the attempt took, in ms. */
  durationMs: number;
}

/**
 * Every event torii emits. Switch on `type`.
 *
 * @example
 * ```ts
 * const onEvent = (event: ToriiEvent) => {
 *   if (event.type === 'verification' && event.outcome !== 'ok') failures.inc({ code: event.outcome });
 * };
 * ```
 */
export type ToriiEvent = ToriiVerificationEvent | ToriiJwksFetchEvent | ToriiRestAttemptEvent;

/**
 * A listener of torii's events, given as the `onEvent` option. It is called synchronously and
 * must be quick; if it throws, the error is logged (once) and otherwise ignored.
 */
export type ToriiEventListener = (event: ToriiEvent) => void;

/** Attributes of a span or a measurement. */
export type ToriiAttributes = Record<string, string | number | boolean>;

/**
 * The part of an OpenTelemetry `Span` torii uses. A span of `@opentelemetry/api` fits; torii
 * imports nothing from it.
 */
export interface ToriiSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  addEvent(name: string, attributes?: ToriiAttributes): unknown;
  end(): unknown;
}

/** The part of an OpenTelemetry `Tracer` torii uses: `trace.getTracer('…')` fits. */
export interface ToriiTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: ToriiAttributes }): ToriiSpan;
}

/** The part of an OpenTelemetry `Counter` torii uses. */
export interface ToriiCounter {
  add(value: number, attributes?: ToriiAttributes): unknown;
}

/** The part of an OpenTelemetry `Meter` torii uses: `metrics.getMeter('…')` fits. */
export interface ToriiMeter {
  createCounter(name: string, options?: { description?: string; unit?: string }): ToriiCounter;
}

/**
 * OpenTelemetry, given from the application's own `@opentelemetry/api` (torii has no dependency
 * on it and loads nothing by itself, so the same code runs on Node, Bun, Deno and Workers):
 *
 * - `tracer`: a span per key set fetch (`torii.jwks.fetch`) and per REST call
 *   (`torii.users.get`, …), as children of the active span;
 * - `meter`: the counters `torii.verifications` (attribute `torii.outcome`: `ok` or the error
 *   code), `torii.token_cache.hits` and `torii.jwks.fetches` (attributes `torii.trigger` and
 *   `torii.outcome`), and `torii.rest.attempts` (`torii.operation`, `torii.outcome`).
 *
 * @example
 * ```ts
 * import { metrics, trace } from '@opentelemetry/api';
 * import { createVerifier } from '@torii/core';
 *
 * const verifier = createVerifier({
 *   issuer: 'https://acme.torii.so',
 *   telemetry: { tracer: trace.getTracer('torii'), meter: metrics.getMeter('torii') },
 * });
 * ```
 */
export interface ToriiTelemetry {
  /** Spans of key set fetches and REST calls. */
  tracer?: ToriiTracer;
  /** Counters of verifications, token cache hits, key set fetches and REST attempts. */
  meter?: ToriiMeter;
}

/** The observability options every verifier, guard, adapter and `ToriiClient` takes. */
export interface ObservabilityOptions {
  /**
   * Where log lines go; `false` for none at all.
   * @default console (adapters: the framework's logger where it has one — Fastify's, Nest's)
   */
  logger?: ToriiLogger | false;
  /**
   * Log debug lines (every denial, key set fetch and REST retry) to `logger.debug`.
   * @default true when the `TORII_DEBUG` environment variable is set (not `0`/`false`)
   */
  debug?: boolean;
  /** Called with every {@link ToriiEvent}. */
  onEvent?: ToriiEventListener;
  /** OpenTelemetry tracer and meter, from your `@opentelemetry/api`. */
  telemetry?: ToriiTelemetry;
}

/** The key set of a verifier, as {@link VerifierStatus} reports it. */
export interface KeySetStatus {
  /** `remote`: fetched from the issuer's JWKS URL; `static`: the `jwks` option. */
  source: 'remote' | 'static';
  /** The JWKS URL (`null` for a static set). */
  url: string | null;
  /** A key set has been loaded (fetched or imported) at least once. */
  loaded: boolean;
  /** Usable keys in the current set. */
  keyCount: number;
  /** When the current set was fetched (ISO 8601), `null` before the first success. */
  fetchedAt: string | null;
  /** Age of the current set in ms, `null` before the first success. */
  ageMs: number | null;
  /** Younger than `jwksCache.ttlMs` (a static set is always fresh once loaded). */
  fresh: boolean;
  /** The set can be used now: loaded, and within its freshness plus `jwksCache.maxStaleMs`. */
  usable: boolean;
  /** The last fetch failed: why (safe to show, never a secret) and when. `null` after a success. */
  lastError: { message: string; at: string } | null;
  /** A fetch is running now. */
  fetching: boolean;
  /** Fetches are paused after a recent attempt (`jwksCache.cooldownMs`). */
  coolingDown: boolean;
  /** The earliest moment of the next fetch caused by a failure or an unknown `kid` (ISO 8601). */
  nextFetchAt: string | null;
}

/**
 * What a verifier can say about itself, for readiness probes and `/health` routes. JSON-safe: no
 * token, no secret.
 *
 * @example
 * ```ts
 * const status = verifier.status();
 * response.status(status.ready ? 200 : 503).json(status);
 * ```
 */
export interface VerifierStatus {
  /** Tokens can be verified now without waiting for the issuer (the key set is usable). */
  ready: boolean;
  /** The issuer this verifier accepts. */
  issuer: string;
  /** The key set. */
  keys: KeySetStatus;
  /** The verified-token cache, `null` when it is off. */
  tokenCache: { size: number; maxEntries: number } | null;
}
