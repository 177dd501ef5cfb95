/**
 * A fixed key set given in the options (`jwks`): no network at all.
 *
 * @module
 */
import type { KeySetStatus } from '../observability.js';
import type { ToriiJwks } from '../options.js';
import type { MaybePromise } from '../shared/maybe-promise.js';
import { KeySet, keyNotFound } from './key-set.js';
import type { KeySource } from './key-source.js';

function selected(set: KeySet, kid: string | undefined): CryptoKey {
  const found = set.select(kid);
  if (typeof found === 'string') throw keyNotFound(found);
  return found;
}

/** Serves the keys of a static JWKS, imported once on first use. */
export class StaticKeySource implements KeySource {
  readonly #jwks: ToriiJwks;
  #set: KeySet | null = null;
  #loading: Promise<KeySet> | null = null;

  /** @param jwks - The key set; unusable keys in it are ignored. */
  constructor(jwks: ToriiJwks) {
    this.#jwks = jwks;
  }

  /** {@inheritDoc KeySource.getKey} */
  getKey(kid: string | undefined): MaybePromise<CryptoKey> {
    if (this.#set === null) return this.#load().then((set) => selected(set, kid));
    return selected(this.#set, kid);
  }

  /** {@inheritDoc KeySource.isCurrentKey} */
  isCurrentKey(kid: string | undefined, key: CryptoKey): boolean {
    return this.#set?.select(kid) === key;
  }

  /** {@inheritDoc KeySource.warmup} */
  async warmup(): Promise<void> {
    await this.#load();
  }

  /** {@inheritDoc KeySource.status} */
  status(): KeySetStatus {
    const loaded = this.#set !== null;
    return {
      source: 'static',
      url: null,
      loaded,
      keyCount: this.#set?.size ?? 0,
      fetchedAt: null,
      ageMs: null,
      fresh: loaded,
      usable: loaded && (this.#set?.size ?? 0) > 0,
      lastError: null,
      fetching: false,
      coolingDown: false,
      nextFetchAt: null,
    };
  }

  #load(): Promise<KeySet> {
    this.#loading ??= KeySet.import(this.#jwks.keys).then((set) => {
      this.#set = set;
      return set;
    });
    return this.#loading;
  }
}
