/**
 * The remote JWKS cache of one issuer: freshness, background refresh, kid-miss refetch with a
 * cooldown, single flight, stale-if-error and rate-limited failures.
 *
 * @module
 */
import { ToriiAuthError } from '../errors.js';
import type { JwksFetchTrigger, KeySetStatus } from '../observability.js';
import type { MaybePromise } from '../shared/maybe-promise.js';
import {
  DEFAULT_OBSERVER,
  type Observer,
  SPAN_STATUS_ERROR,
  SPAN_STATUS_OK,
} from '../shared/observer.js';
import { fetchJwks } from './fetch-jwks.js';
import { JwksFetchError } from './jwks-fetch-error.js';
import { JWKS_PATH } from './jwks-url.js';
import { KeySet, keyNotFound } from './key-set.js';
import type { KeySource } from './key-source.js';

/** Resolved tunables of a {@link JwksCache}, all in ms or bytes. */
export interface JwksCacheSettings {
  /** How long a fetched set is fresh. */
  readonly ttlMs: number;
  /**
   * Least time between two refetches caused by unknown kids, and between a failed fetch and the
   * next attempt. A successful startup or scheduled fetch does not count.
   */
  readonly cooldownMs: number;
  /** Timeout of one fetch. */
  readonly timeoutMs: number;
  /** How long a set may be served past its freshness while refreshes fail. */
  readonly maxStaleMs: number;
  /** Largest JWKS body accepted. */
  readonly maxBytes: number;
}

/** The defaults: 5 min fresh, 30 s cooldown, 5 s timeout, 24 h stale-if-error, 64 KiB. */
export const DEFAULT_JWKS_CACHE_SETTINGS: JwksCacheSettings = Object.freeze({
  ttlMs: 5 * 60_000,
  cooldownMs: 30_000,
  timeoutMs: 5_000,
  maxStaleMs: 24 * 60 * 60_000,
  maxBytes: 64 * 1024,
});

/**
 * The key set of one JWKS URL, shared by every verifier of that issuer (see `jwks/registry.ts`).
 * The clock is `Date.now()`, read at each call.
 *
 * - A set is fresh for `ttlMs`; after that it is still served while one background refresh runs.
 * - A `kid` that is not in the set triggers a refetch at once, at most once per `cooldownMs`
 *   counted from the last refetch an unknown `kid` caused (so a key published after a successful
 *   startup or scheduled fetch is picked up by its first token). Concurrent callers share one
 *   in-flight fetch; no refetch follows when the set in hand comes from a fetch that started after
 *   the call did (it already holds every key the token can name).
 * - A failed refresh, or one that yields no usable key (`keys: []`), never replaces a good set:
 *   the last good set is served up to `ttlMs + maxStaleMs` after it was fetched. Failed fetches are
 *   retried no sooner than `cooldownMs` later; meanwhile callers that need a fetch get
 *   `jwks_unavailable` at once.
 * - Each fetch gets a generation number; a result is applied only if no newer fetch was applied.
 * - When the clock steps back, the set counts as due and the cooldown as passed (one fetch), rather
 *   than blocking refetches until the clock catches up; the set stays servable.
 *
 * Each fetch is reported to the {@link Observer} of the call that started it (the cache is shared
 * by every verifier of the issuer): a debug line, a `jwks_fetch` event, a span and a counter. A
 * failure that starts an outage is a warning, once, and the first success after it an info line.
 */
export class JwksCache implements KeySource {
  readonly #url: string;
  readonly #fetch: typeof fetch;
  readonly #settings: JwksCacheSettings;
  #set: KeySet = KeySet.empty;
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  /** When the last refetch caused by an unknown `kid` started: the kid-miss cooldown's origin. */
  #lastKidMissFetchAt = Number.NEGATIVE_INFINITY;
  #lastError: JwksFetchError | null = null;
  /** The outage in progress: when its first failed fetch started, and how many failed. */
  #outage: { since: number; failures: number } | null = null;
  #inflight: Promise<void> | null = null;
  #startedGeneration = 0;
  #appliedGeneration = 0;

  /**
   * @param url - The JWKS URL, `{issuer}/_torii/.well-known/jwks.json`.
   * @param fetchFn - The `fetch` to use.
   * @param settings - Resolved tunables.
   */
  constructor(url: string, fetchFn: typeof fetch, settings: JwksCacheSettings) {
    this.#url = url;
    this.#fetch = fetchFn;
    this.#settings = settings;
  }

  /** {@inheritDoc KeySource.getKey} */
  getKey(kid: string | undefined, observer: Observer = DEFAULT_OBSERVER): MaybePromise<CryptoKey> {
    // Fetches started before this call: a set from a later one already holds every key the token
    // could have been signed with.
    const startedBefore = this.#startedGeneration;
    // Fast path, no await: a servable set that has the key.
    const now = Date.now();
    if (this.#servable(now)) {
      this.#refreshInBackgroundIfDue(now, observer);
      const found = this.#set.select(kid);
      if (typeof found !== 'string') return found;
    }
    return this.#getKeySlowly(kid, startedBefore, observer);
  }

  async #getKeySlowly(
    kid: string | undefined,
    startedBefore: number,
    observer: Observer,
  ): Promise<CryptoKey> {
    await this.#ensureServable(observer);
    let found = this.#set.select(kid);
    if (found === 'unknown_kid' && this.#inflight !== null) {
      // A fetch is under way (a routine refresh, or another kid miss): its set may have the key.
      await this.#inflight;
      if (!this.#servable(Date.now())) throw this.#unavailable();
      found = this.#set.select(kid);
    }
    if (
      found === 'unknown_kid' &&
      this.#appliedGeneration <= startedBefore &&
      this.#mayRefetchForUnknownKid(Date.now())
    ) {
      // Start the refetch, or join the one another caller with an unknown kid just started.
      if (this.#inflight === null) this.#lastKidMissFetchAt = Date.now();
      await this.#refresh('unknown_kid', observer);
      if (!this.#servable(Date.now())) throw this.#unavailable();
      found = this.#set.select(kid);
    }
    if (typeof found !== 'string') return found;
    // The kid is unknown and the latest attempt to learn new keys failed: keys cannot be had.
    if (found === 'unknown_kid' && this.#lastError !== null) throw this.#unavailable();
    throw keyNotFound(found);
  }

  /** {@inheritDoc KeySource.isCurrentKey} Also starts the routine refresh when the set is due. */
  isCurrentKey(
    kid: string | undefined,
    key: CryptoKey,
    observer: Observer = DEFAULT_OBSERVER,
  ): boolean {
    const now = Date.now();
    if (!this.#servable(now)) return false;
    this.#refreshInBackgroundIfDue(now, observer);
    return this.#set.select(kid) === key;
  }

  /** {@inheritDoc KeySource.warmup} */
  async warmup(observer: Observer = DEFAULT_OBSERVER): Promise<void> {
    await this.#ensureServable(observer);
  }

  /** {@inheritDoc KeySource.status} */
  status(): KeySetStatus {
    const now = Date.now();
    const loaded = Number.isFinite(this.#fetchedAt);
    const coolingDown = since(now, this.#lastAttemptAt) < this.#settings.cooldownMs;
    return {
      source: 'remote',
      url: this.#url,
      loaded,
      keyCount: this.#set.size,
      fetchedAt: loaded ? new Date(this.#fetchedAt).toISOString() : null,
      ageMs: loaded ? Math.max(0, now - this.#fetchedAt) : null,
      fresh: loaded && since(now, this.#fetchedAt) < this.#settings.ttlMs,
      usable: this.#servable(now),
      lastError:
        this.#lastError === null
          ? null
          : { message: this.#lastError.message, at: new Date(this.#lastError.at).toISOString() },
      fetching: this.#inflight !== null,
      coolingDown,
      nextFetchAt: Number.isFinite(this.#lastAttemptAt)
        ? new Date(
            coolingDown ? this.#lastAttemptAt + this.#settings.cooldownMs : now,
          ).toISOString()
        : null,
    };
  }

  /** Makes sure a set may be served: fetches (or joins a fetch) when none is, else refreshes if due. */
  async #ensureServable(observer: Observer): Promise<void> {
    const now = Date.now();
    if (this.#servable(now)) {
      this.#refreshInBackgroundIfDue(now, observer);
      return;
    }
    if (this.#lastError === null || this.#mayFetch(now, this.#settings.cooldownMs)) {
      await this.#refresh(Number.isFinite(this.#fetchedAt) ? 'scheduled' : 'startup', observer);
    }
    if (!this.#servable(Date.now())) throw this.#unavailable();
  }

  /** A good set exists and is within its freshness plus the stale bound. */
  #servable(now: number): boolean {
    return now - this.#fetchedAt <= this.#settings.ttlMs + this.#settings.maxStaleMs;
  }

  /** A fetch is in flight (join it) or the last attempt is at least `gap` ms old. */
  #mayFetch(now: number, gap: number): boolean {
    return this.#inflight !== null || since(now, this.#lastAttemptAt) >= gap;
  }

  /**
   * An unknown `kid` may join the fetch in flight, or start one when the last fetch an unknown
   * `kid` caused is at least `cooldownMs` old and the last attempt did not fail less than
   * `cooldownMs` ago. Successful startup and scheduled fetches do not hold it back.
   */
  #mayRefetchForUnknownKid(now: number): boolean {
    const { cooldownMs } = this.#settings;
    return (
      this.#inflight !== null ||
      (since(now, this.#lastKidMissFetchAt) >= cooldownMs &&
        (this.#lastError === null || since(now, this.#lastAttemptAt) >= cooldownMs))
    );
  }

  #refreshInBackgroundIfDue(now: number, observer: Observer): void {
    if (this.#inflight !== null || since(now, this.#fetchedAt) < this.#settings.ttlMs) return;
    if (since(now, this.#lastAttemptAt) < this.#settings.cooldownMs) return;
    void this.#refresh('scheduled', observer);
  }

  /** Fetches the set, or joins the fetch in flight. Never rejects: failures are recorded. */
  #refresh(trigger: JwksFetchTrigger, observer: Observer): Promise<void> {
    if (this.#inflight !== null) return this.#inflight;
    const generation = ++this.#startedGeneration;
    const startedAt = Date.now();
    this.#lastAttemptAt = startedAt;
    const run = this.#fetchAndApply(generation, startedAt, trigger, observer).finally(() => {
      if (this.#inflight === run) this.#inflight = null;
    });
    this.#inflight = run;
    return run;
  }

  async #fetchAndApply(
    generation: number,
    startedAt: number,
    trigger: JwksFetchTrigger,
    observer: Observer,
  ): Promise<void> {
    const span = observer.startSpan('torii.jwks.fetch', {
      'url.full': this.#url,
      'torii.trigger': trigger,
    });
    let failure: unknown = null;
    let keyCount = 0;
    // A result that arrives after a newer one was applied changes nothing, not even the outage.
    let superseded = false;
    try {
      const keys = await fetchJwks(this.#url, this.#fetch, this.#settings);
      const set = await KeySet.import(keys, this.#set);
      if (set.size === 0) {
        throw new Error(
          'the JWKS has no usable key (kty EC, crv P-256, alg ES256 or absent, use sig or absent)',
        );
      }
      keyCount = set.size;
      superseded = generation <= this.#appliedGeneration;
      if (superseded) return;
      this.#appliedGeneration = generation;
      this.#set = set;
      this.#fetchedAt = Date.now();
      this.#lastError = null;
    } catch (error) {
      failure = error;
      superseded = generation <= this.#appliedGeneration;
      if (superseded) return;
      const message = error instanceof Error ? error.message : String(error);
      this.#lastError = new JwksFetchError(
        `torii: could not fetch the JWKS at ${this.#url}: ${message}`,
        startedAt + this.#settings.cooldownMs,
        { cause: error },
        startedAt,
      );
    } finally {
      this.#report(trigger, startedAt, failure, keyCount, observer, span, superseded);
    }
  }

  /** Reports one finished fetch: outage warnings, the debug line, the event, the span, the counter. */
  #report(
    trigger: JwksFetchTrigger,
    startedAt: number,
    failure: unknown,
    keyCount: number,
    observer: Observer,
    span: ReturnType<Observer['startSpan']>,
    superseded: boolean,
  ): void {
    const durationMs = Math.max(0, Date.now() - startedAt);
    const outcome = failure === null ? 'ok' : 'error';
    const reason = failure === null ? '' : describeFailure(failure);
    if (superseded) {
      observer.debug(
        `torii: a key set fetch of ${this.#url} (trigger: ${trigger}) ended after a newer one and was ignored (${outcome}).`,
      );
    } else if (failure === null) {
      if (this.#outage !== null) {
        const { since: began, failures } = this.#outage;
        this.#outage = null;
        observer.info(
          `torii: the key set of ${this.#url} could be fetched again (${keyCount} keys) after ${failures} failed ${failures === 1 ? 'attempt' : 'attempts'} over ${Math.round((Date.now() - began) / 1000)} s; tokens are verified normally again.`,
        );
      }
      observer.debug(
        `torii: fetched the key set of ${this.#url} (trigger: ${trigger}): ${keyCount} usable keys in ${durationMs} ms.`,
      );
    } else if (this.#outage === null) {
      this.#outage = { since: startedAt, failures: 1 };
      observer.warn(this.#outageWarning(trigger, reason));
    } else {
      this.#outage.failures++;
      observer.debug(
        `torii: the key set of ${this.#url} still cannot be fetched (trigger: ${trigger}, failure ${this.#outage.failures} of this outage): ${reason}`,
      );
    }
    if (observer.hasListener) {
      observer.emit({
        type: 'jwks_fetch',
        url: this.#url,
        trigger,
        outcome,
        keyCount,
        ...(failure === null ? {} : { error: reason }),
        durationMs,
      });
    }
    observer.count('torii.jwks.fetches', { 'torii.trigger': trigger, 'torii.outcome': outcome });
    if (span !== null) {
      span.setAttribute('torii.jwks.keys', keyCount);
      span.setStatus(
        failure === null ? { code: SPAN_STATUS_OK } : { code: SPAN_STATUS_ERROR, message: reason },
      );
      span.end();
    }
  }

  /** The one warning of an outage: what failed, what requests get meanwhile, what to check. */
  #outageWarning(trigger: JwksFetchTrigger, reason: string): string {
    const now = Date.now();
    const meanwhile = this.#servable(now)
      ? `The keys fetched ${Math.max(0, Math.round((now - this.#fetchedAt) / 1000))} s ago are still used (for up to ${Math.round(this.#settings.maxStaleMs / 60_000)} min), but tokens signed with a new key are answered 503`
      : 'Until it can, requests with a token are answered 503 (verification_unavailable)';
    const issuer = this.#url.slice(0, this.#url.length - JWKS_PATH.length);
    return `torii: cannot fetch the issuer's key set from ${this.#url} (trigger: ${trigger}): ${reason}. ${meanwhile}. Check the issuer option (${issuer}): it must be your torii issuer URL and reachable from this server. torii retries at most every ${Math.ceil(this.#settings.cooldownMs / 1000)} s and logs once when it recovers.`;
  }

  #unavailable(): ToriiAuthError {
    const cause =
      this.#lastError ??
      new JwksFetchError(
        `torii: the JWKS at ${this.#url} could not be fetched`,
        this.#lastAttemptAt + this.#settings.cooldownMs,
      );
    return new ToriiAuthError(
      'jwks_unavailable',
      `${cause.message}. Without the issuer's keys the token cannot be verified; the next fetch is tried at most ${Math.ceil(this.#settings.cooldownMs / 1000)} s later. Check that the issuer URL is right and reachable from this server.`,
      { cause },
    );
  }
}

/**
 * Milliseconds from `then` to `now`. When the clock stepped back before `then` the time that
 * passed is unknown: it counts as long ago, so one refresh and one kid-miss refetch may happen at
 * once, instead of none until the clock catches up (a rotation missed for as long as the step).
 * The cooldown then holds again from the new clock.
 */
function since(now: number, then: number): number {
  return now >= then ? now - then : Number.POSITIVE_INFINITY;
}

/** Why a fetch failed, as one line: the message and, for a network error, its cause. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message;
}
