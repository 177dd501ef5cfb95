/**
 * The transport of the REST client: a thin layer over `fetch` with authentication, per-attempt
 * timeouts, caller abort, retries with backoff, and error mapping. No runtime dependency and no
 * `node:` import, so it runs on Node, Bun, Deno and Workers.
 *
 * @module
 */

import { ToriiApiError, ToriiError } from '../errors.js';
import type { ToriiSpan } from '../observability.js';
import { SPAN_STATUS_ERROR, SPAN_STATUS_OK } from '../shared/observer.js';
import { checkNumber } from '../shared/option-checks.js';
import { onAbort } from './abort-signal.js';
import { toApiError } from './api-error.js';
import type { ClientConfig } from './config.js';
import { type SecretRedactor, secretRedactor } from './redact-secret.js';
import {
  backoffDelay,
  neverReachedServer,
  parseRetryAfter,
  RETRYABLE_STATUSES,
  sleep,
} from './retry-policy.js';
import type { RequestOptions, ToriiRetryEvent } from './types.js';
import { USER_AGENT } from './version.js';

/** One call of the server API, as the resources describe it. */
export interface Operation {
  /** Public name, e.g. `users.get`; used in messages and retry events. */
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below `apiUrl`, every caller-given segment already encoded. */
  path: string;
  /** Query parameters; `undefined` values are left out. */
  query?: Record<string, string | undefined>;
  /** JSON body; `undefined` sends none. */
  body?: unknown;
  /**
   * Safe to repeat: retried on network errors, timeouts, 429 and 502/503/504. When `false`, the
   * call is retried only when the request provably never reached the server.
   */
  idempotent: boolean;
  /**
   * A 403 that follows an attempt which may have landed counts as done (the user delete: the
   * first successful delete revokes the grant, so a repeat answers 403).
   */
  forbiddenMeansDoneOnRetry?: boolean;
}

/** A successful answer: its status and parsed JSON body (`undefined` when empty). */
export interface SuccessResult {
  status: number;
  data: unknown;
  headers: Headers;
}

type Attempt =
  | { kind: 'response'; status: number; statusText: string; headers: Headers; text: string }
  | { kind: 'timeout'; error: unknown }
  | { kind: 'network'; error: unknown };

interface RetryPlan {
  reason: ToriiRetryEvent['reason'];
  status?: number;
  retryAfterMs?: number | undefined;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Sends {@link Operation}s to the server API. Holds the secret key in a private field. */
export class HttpClient {
  readonly #config: ClientConfig;
  readonly #authorization: string;
  readonly #redact: SecretRedactor;

  constructor(config: ClientConfig) {
    this.#config = config;
    this.#authorization = `Bearer ${config.secretKey}`;
    this.#redact = secretRedactor(config.secretKey);
  }

  /** Sends one operation, retrying as its policy allows. */
  async request(operation: Operation, options: RequestOptions = {}): Promise<SuccessResult> {
    const { signal } = options;
    const timeoutMs = checkNumber(
      options.timeoutMs,
      `${operation.name}: timeoutMs`,
      this.#config.timeoutMs,
      { min: 0, exclusive: true },
    );
    const maxRetries = checkNumber(
      options.maxRetries,
      `${operation.name}: maxRetries`,
      this.#config.maxRetries,
      { min: 0, integer: true },
    );
    if (signal?.aborted) throw signal.reason;

    const url = this.#url(operation);
    const { observer } = this.#config;
    const span =
      observer.tracer === null
        ? null
        : observer.startSpan(`torii.${operation.name}`, {
            'torii.operation': operation.name,
            'http.request.method': operation.method,
            'server.address': new URL(url).hostname,
          });
    if (span === null) return this.#send(operation, url, timeoutMs, maxRetries, signal, null);
    try {
      const result = await this.#send(operation, url, timeoutMs, maxRetries, signal, span);
      span.setAttribute('http.response.status_code', result.status);
      span.setStatus({ code: SPAN_STATUS_OK });
      return result;
    } catch (error) {
      if (error instanceof ToriiApiError) {
        span.setAttribute('http.response.status_code', error.status);
      }
      span.setStatus({
        code: SPAN_STATUS_ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  }

  /** The attempts of one call: send, decide whether to retry, wait, send again. */
  async #send(
    operation: Operation,
    url: string,
    timeoutMs: number,
    maxRetries: number,
    signal: AbortSignal | undefined,
    span: ToriiSpan | null,
  ): Promise<SuccessResult> {
    const observer = this.#config.observer;
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      authorization: this.#authorization,
      'user-agent': USER_AGENT,
    };
    let body: string | undefined;
    if (operation.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(operation.body);
    }
    // Redirects are not followed: a 3xx surfaces as a ToriiApiError that names the fix (set
    // apiUrl to the final URL) instead of replaying the secret key elsewhere. `manual`, not
    // `error`, because Workers reject `redirect: 'error'`.
    const init: RequestInit = { method: operation.method, headers, redirect: 'manual' };
    if (body !== undefined) init.body = body;

    let mayHaveLanded = false;
    for (let attempt = 1; ; attempt++) {
      const startedAt = Date.now();
      const result = await this.#attempt(url, init, timeoutMs, signal);
      const report = (outcome: 'ok' | 'error', plan?: RetryPlan, willRetry = false): void => {
        if (!observer.listening) return;
        const status = result.kind === 'response' ? result.status : undefined;
        if (observer.hasListener) {
          observer.emit({
            type: 'rest_attempt',
            operation: operation.name,
            method: operation.method,
            attempt,
            outcome,
            ...(status === undefined ? {} : { status }),
            ...(outcome === 'ok' ? {} : { reason: plan?.reason ?? reasonOf(result) }),
            willRetry,
            durationMs: Math.max(0, Date.now() - startedAt),
          });
        }
        observer.count('torii.rest.attempts', {
          'torii.operation': operation.name,
          'torii.outcome': outcome,
        });
      };
      let failure: Error;
      let plan: RetryPlan | undefined;

      if (result.kind === 'response') {
        if (result.status >= 200 && result.status < 300) {
          report('ok');
          return {
            status: result.status,
            headers: result.headers,
            data: this.#parseSuccess(operation, result),
          };
        }
        if (result.status === 403 && operation.forbiddenMeansDoneOnRetry && mayHaveLanded) {
          report('ok');
          return { status: result.status, headers: result.headers, data: undefined };
        }
        failure = toApiError(operation.name, operation, result, this.#config.secretKey);
        if (operation.idempotent && RETRYABLE_STATUSES.has(result.status)) {
          const retryAfterMs = parseRetryAfter(result.headers.get('retry-after'), Date.now());
          // A wait longer than the cap ends the retries: the caller reschedules better than we do.
          if (retryAfterMs === undefined || retryAfterMs <= this.#config.maxRetryAfterMs) {
            plan = { reason: 'status', status: result.status, retryAfterMs };
          }
        }
        // A 429 is a refusal before any work; every other answer may follow work done.
        if (result.status !== 429) mayHaveLanded = true;
      } else if (result.kind === 'timeout') {
        failure = new ToriiError(
          `torii: ${operation.name} (${operation.method} ${operation.path}) timed out after ${timeoutMs} ms on attempt ${attempt}. The server API did not answer in time; retry later or raise timeoutMs.`,
          { cause: result.error },
        );
        if (operation.idempotent) plan = { reason: 'timeout' };
        mayHaveLanded = true;
      } else {
        const notSent = neverReachedServer(result.error);
        const code = errorCode(result.error);
        failure = new ToriiError(
          `torii: ${operation.name} (${operation.method} ${operation.path}) could not reach the torii server API at ${new URL(url).origin}${code === undefined ? '' : ` (${code})`} on attempt ${attempt}. Check apiUrl and the network.`,
          { cause: result.error },
        );
        if (operation.idempotent || notSent) plan = { reason: 'network' };
        if (!notSent) mayHaveLanded = true;
      }

      if (plan === undefined || attempt > maxRetries) {
        report('error', plan);
        throw failure;
      }
      report('error', plan, true);
      const delayMs =
        plan.retryAfterMs ??
        backoffDelay(attempt - 1, this.#config.retryBaseMs, this.#config.retryMaxDelayMs);
      observer.debug(
        `torii: ${operation.name} (${operation.method} ${operation.path}) attempt ${attempt} failed (${
          plan.status === undefined ? plan.reason : `HTTP ${plan.status}`
        }); retrying in ${delayMs} ms (retry ${attempt} of ${maxRetries}).`,
      );
      span?.addEvent('torii.retry', {
        'torii.attempt': attempt,
        'torii.delay_ms': delayMs,
        'torii.reason': plan.reason,
      });
      const event: ToriiRetryEvent = {
        operation: operation.name,
        attempt,
        delayMs,
        reason: plan.reason,
      };
      if (plan.status !== undefined) event.status = plan.status;
      this.#config.onRetry?.(event);
      await sleep(delayMs, signal);
    }
  }

  #url(operation: Operation): string {
    let url = `${this.#config.apiUrl}${operation.path}`;
    if (operation.query !== undefined) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(operation.query)) {
        if (value !== undefined) params.append(key, value);
      }
      const query = params.toString();
      if (query !== '') url += `?${query}`;
    }
    return url;
  }

  /** One attempt: fetch and read the whole body under the per-attempt timeout. */
  async #attempt(
    url: string,
    init: RequestInit,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new ToriiError(`torii: attempt timed out after ${timeoutMs} ms.`));
    }, timeoutMs);
    // One listener on the caller's signal however many calls share it, removed in `finally`.
    const stopWatching =
      signal === undefined ? undefined : onAbort(signal, () => controller.abort(signal.reason));
    try {
      const response = await this.#config.fetch(url, { ...init, signal: controller.signal });
      const text = await response.text();
      return {
        kind: 'response',
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        text,
      };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return timedOut ? { kind: 'timeout', error } : { kind: 'network', error };
    } finally {
      clearTimeout(timer);
      stopWatching?.();
    }
  }

  #parseSuccess(operation: Operation, result: Attempt & { kind: 'response' }): unknown {
    if (result.text === '') return undefined;
    try {
      return JSON.parse(result.text) as unknown;
    } catch {
      const header = result.headers.get('x-request-id') ?? result.headers.get('request-id');
      const requestId = header === null ? null : this.#redact.text(header);
      // Not JSON.parse's own error: its message quotes the body, which may echo the secret key.
      const cause = new SyntaxError(
        `the ${result.text.length}-character body is not valid JSON (its text is left out).`,
      );
      throw new ToriiError(
        `torii: ${operation.name} (${operation.method} ${operation.path}) answered ${result.status} with a body that is not valid JSON. This is a server or proxy fault; retry later or contact torii support${requestId === null ? '' : ` (request id ${requestId})`}.`,
        { cause },
      );
    }
  }
}

/** Why an attempt that is not retried failed, from its result. */
function reasonOf(result: Attempt): 'status' | 'network' | 'timeout' {
  return result.kind === 'response' ? 'status' : result.kind;
}
