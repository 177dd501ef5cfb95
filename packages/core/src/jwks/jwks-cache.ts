/**
 * The remote JWKS cache of one issuer: freshness, background refresh, kid-miss refetch with a
 * cooldown, single flight, stale-if-error and rate-limited failures.
 *
 * @module
 */
import { ToriiAuthError } from '../errors.js';
import { fetchJwks } from './fetch-jwks.js';
import { JwksFetchError } from './jwks-fetch-error.js';
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
  getKey(kid: string | undefined): Promise<CryptoKey> {
    // Fetches started before this call: a set from a later one already holds every key the token
    // could have been signed with.
    const startedBefore = this.#startedGeneration;
    // Fast path, no await: a servable set that has the key.
    const now = Date.now();
    if (this.#servable(now)) {
      this.#refreshInBackgroundIfDue(now);
      const found = this.#set.select(kid);
      if (typeof found !== 'string') return Promise.resolve(found);
    }
    return this.#getKeySlowly(kid, startedBefore);
  }

  async #getKeySlowly(kid: string | undefined, startedBefore: number): Promise<CryptoKey> {
    await this.#ensureServable();
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
      await this.#refresh();
      if (!this.#servable(Date.now())) throw this.#unavailable();
      found = this.#set.select(kid);
    }
    if (typeof found !== 'string') return found;
    // The kid is unknown and the latest attempt to learn new keys failed: keys cannot be had.
    if (found === 'unknown_kid' && this.#lastError !== null) throw this.#unavailable();
    throw keyNotFound(found);
  }

  /** {@inheritDoc KeySource.isCurrentKey} Also starts the routine refresh when the set is due. */
  isCurrentKey(kid: string | undefined, key: CryptoKey): boolean {
    const now = Date.now();
    if (!this.#servable(now)) return false;
    this.#refreshInBackgroundIfDue(now);
    return this.#set.select(kid) === key;
  }

  /** {@inheritDoc KeySource.warmup} */
  async warmup(): Promise<void> {
    await this.#ensureServable();
  }

  /** Makes sure a set may be served: fetches (or joins a fetch) when none is, else refreshes if due. */
  async #ensureServable(): Promise<void> {
    const now = Date.now();
    if (this.#servable(now)) {
      this.#refreshInBackgroundIfDue(now);
      return;
    }
    if (this.#lastError === null || this.#mayFetch(now, this.#settings.cooldownMs)) {
      await this.#refresh();
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

  #refreshInBackgroundIfDue(now: number): void {
    if (this.#inflight !== null || since(now, this.#fetchedAt) < this.#settings.ttlMs) return;
    if (since(now, this.#lastAttemptAt) < this.#settings.cooldownMs) return;
    void this.#refresh();
  }

  /** Fetches the set, or joins the fetch in flight. Never rejects: failures are recorded. */
  #refresh(): Promise<void> {
    if (this.#inflight !== null) return this.#inflight;
    const generation = ++this.#startedGeneration;
    const startedAt = Date.now();
    this.#lastAttemptAt = startedAt;
    const run = this.#fetchAndApply(generation, startedAt).finally(() => {
      if (this.#inflight === run) this.#inflight = null;
    });
    this.#inflight = run;
    return run;
  }

  async #fetchAndApply(generation: number, startedAt: number): Promise<void> {
    try {
      const keys = await fetchJwks(this.#url, this.#fetch, this.#settings);
      const set = await KeySet.import(keys, this.#set);
      if (set.size === 0) {
        throw new Error(
          'the JWKS has no usable key (kty EC, crv P-256, alg ES256 or absent, use sig or absent)',
        );
      }
      if (generation <= this.#appliedGeneration) return;
      this.#appliedGeneration = generation;
      this.#set = set;
      this.#fetchedAt = Date.now();
      this.#lastError = null;
    } catch (error) {
      if (generation <= this.#appliedGeneration) return;
      const message = error instanceof Error ? error.message : String(error);
      this.#lastError = new JwksFetchError(
        `torii: could not fetch the JWKS at ${this.#url}: ${message}`,
        startedAt + this.#settings.cooldownMs,
        { cause: error },
      );
    }
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
