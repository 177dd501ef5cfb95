/**
 * An imported JWKS: the usable keys by `kid`, ready for Web Crypto.
 *
 * @module
 */
import { ToriiAuthError } from '../errors.js';
import { type Es256PublicJwk, isEs256VerificationJwk } from './key-filter.js';

/** Why {@link KeySet.select} found no single key. */
export type KeyMiss = 'unknown_kid' | 'ambiguous';

/**
 * An immutable set of imported ES256 public keys. Keys are looked up by `kid` in a `Map`, so a
 * `kid` of `__proto__` or `constructor` is just an unknown kid.
 */
export class KeySet {
  /** Number of usable keys. */
  readonly size: number;
  readonly #byKid: ReadonlyMap<string, CryptoKey>;
  readonly #ambiguousKids: ReadonlySet<string>;
  readonly #all: readonly CryptoKey[];
  readonly #byPoint: ReadonlyMap<string, CryptoKey>;
  readonly #members: ReadonlySet<CryptoKey>;

  private constructor(
    entries: readonly { jwk: Es256PublicJwk; key: CryptoKey }[],
    byPoint: ReadonlyMap<string, CryptoKey>,
  ) {
    const byKid = new Map<string, CryptoKey>();
    const pointOfKid = new Map<string, string>();
    const ambiguous = new Set<string>();
    const all = new Set<CryptoKey>();
    for (const { jwk, key } of entries) {
      all.add(key);
      if (jwk.kid === undefined) continue;
      const point = pointKey(jwk);
      const seen = pointOfKid.get(jwk.kid);
      if (seen === undefined) {
        pointOfKid.set(jwk.kid, point);
        byKid.set(jwk.kid, key);
      } else if (seen !== point) {
        ambiguous.add(jwk.kid);
      }
    }
    for (const kid of ambiguous) byKid.delete(kid);
    this.#byKid = byKid;
    this.#ambiguousKids = ambiguous;
    this.#all = [...all];
    this.#byPoint = byPoint;
    this.#members = all;
    this.size = all.size;
  }

  /** An empty set (nothing fetched yet). */
  static readonly empty: KeySet = new KeySet([], new Map());

  /**
   * Imports the usable keys of a JWKS. Keys that fail {@link isEs256VerificationJwk} or that Web
   * Crypto refuses (a point not on the curve) are skipped, never an error. A key with the same
   * coordinates as one in `previous` reuses that `CryptoKey`: keys are imported once, and
   * verified-token cache entries stay valid across a routine refresh.
   */
  static async import(keys: readonly unknown[], previous: KeySet = KeySet.empty): Promise<KeySet> {
    const usable = keys.filter(isEs256VerificationJwk);
    const imported = await Promise.all(
      usable.map(async (jwk) => {
        const point = pointKey(jwk);
        const key = previous.#byPoint.get(point) ?? (await importEs256PublicKey(jwk));
        return key === null ? null : { jwk, key, point };
      }),
    );
    const entries = imported.filter((e) => e !== null);
    const byPoint = new Map(entries.map((e) => [e.point, e.key] as const));
    return new KeySet(entries, byPoint);
  }

  /**
   * The key for a token's `kid`. A token without `kid` gets the only key of the set, and is refused
   * (`ambiguous`) when there are several. A `kid` under which the set has two different keys is
   * `ambiguous` too.
   */
  select(kid: string | undefined): CryptoKey | KeyMiss {
    if (kid === undefined) {
      if (this.#all.length === 1) return this.#all[0] as CryptoKey;
      return this.#all.length === 0 ? 'unknown_kid' : 'ambiguous';
    }
    const key = this.#byKid.get(kid);
    if (key !== undefined) return key;
    return this.#ambiguousKids.has(kid) ? 'ambiguous' : 'unknown_kid';
  }

  /** Whether `key` is one of this set's keys. */
  has(key: CryptoKey): boolean {
    return this.#members.has(key);
  }
}

function pointKey(jwk: Es256PublicJwk): string {
  return `${jwk.x}.${jwk.y}`;
}

/** Imports a P-256 public key; `null` when Web Crypto refuses it (e.g. a point not on the curve). */
async function importEs256PublicKey(jwk: Es256PublicJwk): Promise<CryptoKey | null> {
  try {
    return await crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
      { name: 'ECDSA', namedCurve: 'P-256' },
      // Extractable: a public key holds no secret, and the Node backend's `KeyObject.from` is
      // deprecated for non-extractable keys from Node 24 on (DEP0204, a warning on every start).
      true,
      ['verify'],
    );
  } catch {
    return null;
  }
}

/** The `key_not_found` error for a miss of {@link KeySet.select}. */
export function keyNotFound(miss: KeyMiss): ToriiAuthError {
  return new ToriiAuthError(
    'key_not_found',
    miss === 'ambiguous'
      ? 'torii: the token does not name one key of the key set unambiguously (no "kid" with several keys, or several keys under its "kid").'
      : 'torii: no key of the issuer\'s key set matches the token\'s "kid". The token was not signed by this issuer, or its key was retired.',
  );
}
