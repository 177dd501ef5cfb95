/**
 * The observability options (`logger`, `debug`, `onEvent`, `telemetry`) checked once and turned
 * into one {@link Observer} per verifier or client: what the verification layer, the key set
 * cache and the REST client report to. Nothing here runs per request unless something listens.
 *
 * @module
 */
import type {
  ObservabilityOptions,
  ToriiAttributes,
  ToriiCounter,
  ToriiEvent,
  ToriiEventListener,
  ToriiLogger,
  ToriiMeter,
  ToriiSpan,
  ToriiTracer,
} from '../observability.js';
import { debugFromEnv } from './env.js';
import {
  checkBoolean,
  checkFunction,
  checkKnownKeys,
  failOption,
  isRecord,
} from './option-checks.js';

/** OpenTelemetry's `SpanKind.CLIENT`. */
export const SPAN_KIND_CLIENT = 2;
/** OpenTelemetry's `SpanStatusCode.OK`. */
export const SPAN_STATUS_OK = 1;
/** OpenTelemetry's `SpanStatusCode.ERROR`. */
export const SPAN_STATUS_ERROR = 2;

/** The counters torii reports, by name. */
export type CounterName =
  | 'torii.verifications'
  | 'torii.token_cache.hits'
  | 'torii.jwks.fetches'
  | 'torii.rest.attempts';

const COUNTERS: Readonly<Record<CounterName, { description: string; unit: string }>> = {
  'torii.verifications': { description: 'Token verifications, by outcome', unit: '{verification}' },
  'torii.token_cache.hits': {
    description: 'Verifications answered by the verified-token cache',
    unit: '{hit}',
  },
  'torii.jwks.fetches': {
    description: 'Key set (JWKS) fetches, by trigger and outcome',
    unit: '{fetch}',
  },
  'torii.rest.attempts': {
    description: 'REST API attempts, by operation and outcome',
    unit: '{attempt}',
  },
};

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

/** The default logger: the global `console` as it is when a line is written. */
const consoleLogger: ToriiLogger = {
  debug: (message) => globalThis.console?.debug(message),
  info: (message) => globalThis.console?.info(message),
  warn: (message) => globalThis.console?.warn(message),
  error: (message) => globalThis.console?.error(message),
};

/**
 * Where a verifier or client reports: level-gated log lines, typed events, spans and counters.
 * Build it with {@link resolveObserver}.
 */
export class Observer {
  /** Debug lines are written (`debug: true` or `TORII_DEBUG`). Check it before building one. */
  readonly debugEnabled: boolean;
  /** Something wants per-verification reports: an `onEvent` listener or a meter. */
  readonly listening: boolean;
  /** The tracer, or `null` when none was given. */
  readonly tracer: ToriiTracer | null;
  readonly #logger: ToriiLogger | null;
  readonly #listener: ToriiEventListener | null;
  readonly #meter: ToriiMeter | null;
  readonly #counters = new Map<CounterName, ToriiCounter>();
  #listenerFailed = false;

  constructor(
    logger: ToriiLogger | null,
    debug: boolean,
    listener: ToriiEventListener | null,
    tracer: ToriiTracer | null,
    meter: ToriiMeter | null,
  ) {
    this.#logger = logger;
    this.debugEnabled = debug && logger !== null;
    this.#listener = listener;
    this.tracer = tracer;
    this.#meter = meter;
    this.listening = listener !== null || meter !== null;
  }

  /** Writes a debug line when debug logging is on. */
  debug(message: string): void {
    if (this.debugEnabled) this.#write('debug', message);
  }

  /** Writes an info line. */
  info(message: string): void {
    this.#write('info', message);
  }

  /** Writes a warning. */
  warn(message: string): void {
    this.#write('warn', message);
  }

  /** Writes an error line. */
  error(message: string): void {
    this.#write('error', message);
  }

  /** Whether an `onEvent` listener was given (build the event only then). */
  get hasListener(): boolean {
    return this.#listener !== null;
  }

  /** Hands `event` to the `onEvent` listener; a listener that throws is logged once and ignored. */
  emit(event: ToriiEvent): void {
    if (this.#listener === null) return;
    try {
      this.#listener(event);
    } catch (error) {
      if (this.#listenerFailed) return;
      this.#listenerFailed = true;
      this.error(
        `torii: the onEvent listener threw on a "${event.type}" event (${describeError(error)}); torii ignores it and reports this once.`,
      );
    }
  }

  /** Adds `value` to a counter of the meter, when one was given. */
  count(name: CounterName, attributes: ToriiAttributes, value = 1): void {
    if (this.#meter === null) return;
    let counter = this.#counters.get(name);
    if (counter === undefined) {
      counter = this.#meter.createCounter(name, COUNTERS[name]);
      this.#counters.set(name, counter);
    }
    counter.add(value, attributes);
  }

  /** Starts a client span when a tracer was given, else `null`. */
  startSpan(name: string, attributes: ToriiAttributes): ToriiSpan | null {
    if (this.tracer === null) return null;
    return this.tracer.startSpan(name, { kind: SPAN_KIND_CLIENT, attributes });
  }

  #write(level: (typeof LOGGER_METHODS)[number], message: string): void {
    if (this.#logger === null) return;
    try {
      this.#logger[level](message);
    } catch {
      // A logger that throws must not break verification or a REST call.
    }
  }
}

/** A short, safe description of a thrown value. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The observer of the defaults (console, no debug, nothing listening), shared. */
export const DEFAULT_OBSERVER = new Observer(consoleLogger, false, null, null, null);

function loggerOf(value: unknown): ToriiLogger | null {
  if (value === undefined) return consoleLogger;
  if (value === false) return null;
  const missing =
    isRecord(value) || typeof value === 'function'
      ? LOGGER_METHODS.filter((m) => typeof (value as Record<string, unknown>)[m] !== 'function')
      : LOGGER_METHODS;
  if (missing.length > 0) {
    failOption(
      `logger must have the methods debug, info, warn and error (pino, console and winston fit), or be false for no logging (got ${
        isRecord(value) ? `an object without ${missing.join(', ')}` : typeof value
      }).`,
    );
  }
  return value as ToriiLogger;
}

function telemetryOf(value: unknown): { tracer: ToriiTracer | null; meter: ToriiMeter | null } {
  if (value === undefined) return { tracer: null, meter: null };
  if (!isRecord(value)) {
    failOption(
      "telemetry must be { tracer?, meter? } from @opentelemetry/api, e.g. { tracer: trace.getTracer('torii'), meter: metrics.getMeter('torii') }.",
    );
  }
  checkKnownKeys(value, ['tracer', 'meter'], 'telemetry');
  const { tracer, meter } = value;
  if (tracer !== undefined && !(isRecord(tracer) && typeof tracer.startSpan === 'function')) {
    failOption("telemetry.tracer must be an OpenTelemetry Tracer (trace.getTracer('torii')).");
  }
  if (meter !== undefined && !(isRecord(meter) && typeof meter.createCounter === 'function')) {
    failOption("telemetry.meter must be an OpenTelemetry Meter (metrics.getMeter('torii')).");
  }
  return {
    tracer: (tracer as ToriiTracer | undefined) ?? null,
    meter: (meter as ToriiMeter | undefined) ?? null,
  };
}

/** The option names of {@link ObservabilityOptions}, for each factory's list of known options. */
export const OBSERVABILITY_OPTION_KEYS = ['logger', 'debug', 'onEvent', 'telemetry'] as const;

/**
 * Checks `logger`, `debug`, `onEvent` and `telemetry` (a `ToriiConfigError` naming the fix) and
 * builds the observer. `debug` defaults to the `TORII_DEBUG` environment variable, read now.
 * Without any of them the shared default observer is returned (console, nothing listening).
 *
 * @throws {@link ToriiConfigError} when an option is invalid
 *
 * @example
 * ```ts
 * const observer = resolveObserver({ logger: pino(), onEvent: (e) => console.log(e.type) });
 * ```
 */
export function resolveObserver(options: ObservabilityOptions): Observer {
  const logger = loggerOf(options.logger);
  const debug = checkBoolean(options.debug, 'debug') ?? debugFromEnv();
  const listener = checkFunction(options.onEvent, 'onEvent', '(event) => void') ?? null;
  const { tracer, meter } = telemetryOf(options.telemetry);
  if (
    logger === consoleLogger &&
    !debug &&
    listener === null &&
    tracer === null &&
    meter === null
  ) {
    return DEFAULT_OBSERVER;
  }
  return new Observer(logger, debug, listener, tracer, meter);
}
