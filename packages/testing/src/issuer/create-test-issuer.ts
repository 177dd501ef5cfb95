/**
 * `createTestIssuer()`: a local torii issuer for tests — ES256 keys, a JWKS served on loopback at
 * the torii path, and tokens both valid and deliberately broken.
 *
 * @module
 */
import { JWKS_PATH } from '@torii/core';
import {
  type FetchHandler,
  type ServedHandler,
  serveFetchHandler,
} from '../http/serve-fetch-handler.js';
import { base64url, base64urlToText } from './base64url.js';
import { type Duration, durationToSeconds } from './duration.js';
import { deriveSigningKey, generateSigningKey, type PublicJwk, type SigningKey } from './keys.js';
import { type OtherAlgorithmKeys, signCompactJws, type TestAlgorithm } from './sign-jws.js';

/** Where torii publishes an issuer's keys, relative to the issuer URL (core's own constant). */
export { JWKS_PATH };

/** The `sub` of tokens signed without one. */
export const DEFAULT_TEST_USER_ID = 'user_test_0001';

/** The `pid` of tokens signed without one, unless `environmentId` is given. */
export const DEFAULT_TEST_ENVIRONMENT_ID = 'env_test_0001';

/** The default token lifetime: 15 minutes. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 900;

/**
 * Claims of a test token. Every torii claim is typed; add any custom claim. Set a claim to
 * `undefined` to leave it out of the token (to test a missing `sub`, say).
 */
export interface TestTokenClaims {
  iss?: string | undefined;
  sub?: string | undefined;
  pid?: string | undefined;
  iat?: number | undefined;
  exp?: number | undefined;
  nbf?: number | undefined;
  aud?: string | string[] | undefined;
  email_verified?: boolean | undefined;
  profile_complete?: boolean | undefined;
  impersonating?: boolean | undefined;
  locale?: string | null | undefined;
  [claim: string]: unknown;
}

/** How to sign one token; every option but `expiresIn` makes a token torii must reject. */
export interface SignOptions {
  /** Lifetime from now, in seconds or as `'15m'`. Negative values give an expired token. @default '15m' */
  expiresIn?: Duration;
  /** Make a token that expired 10 minutes ago (well past the 30 s clock tolerance). */
  expired?: boolean;
  /** Make a token that becomes valid only this far in the future (`nbf`), e.g. `'10m'`. */
  notBefore?: Duration;
  /** Put another issuer in `iss` (for `issuer_mismatch`). */
  issuer?: string;
  /**
   * The `kid` header. A kid of a published key signs with that key; any other value signs with the
   * current key but names a key that does not exist (for `key_not_found`); `null` leaves `kid` out.
   */
  kid?: string | null;
  /**
   * Signing algorithm. Anything but `ES256` must be refused (`algorithm_not_allowed`): `ES384`
   * and `RS256` use throwaway keys, `HS256` is the key-confusion attack (HMAC keyed with the
   * issuer's public JWK), `none` has an empty signature.
   * @default 'ES256'
   */
  alg?: TestAlgorithm;
  /** Change the payload after signing (the `sub` gets a `-tampered` suffix): `signature_invalid`. */
  tampered?: boolean;
  /** Extra protected-header members (`crit`, `jku`, `x5u`, ...), merged over the defaults. */
  header?: Record<string, unknown>;
}

/** Options of {@link createTestIssuer}. */
export interface TestIssuerOptions {
  /** Port of the JWKS server; `0` picks a free one. @default 0 */
  port?: number;
  /** Loopback host to listen on: `127.0.0.1`, `::1` or `localhost`. @default '127.0.0.1' */
  host?: string;
  /** How many keys to publish; tokens are signed with the first. @default 1 */
  keys?: number;
  /** `kid` of the first key. @default its RFC 7638 thumbprint */
  kid?: string;
  /** `pid` claim of every token. @default 'env_test_0001' */
  environmentId?: string;
  /** Claims added to every token (after the torii defaults, before per-call claims). */
  defaultClaims?: TestTokenClaims;
  /**
   * Derive the keys from this string instead of generating random ones: the same seed always
   * gives the same keys (this is how `torii-dev token` signs for a running `torii-dev`). Never
   * use a seed for anything but local development and tests.
   */
  seed?: string;
  /** Start the HTTP server. With `false`, use {@link TestIssuer.fetch} or {@link TestIssuer.jwks}. @default true */
  listen?: boolean;
  /** The issuer URL when `listen` is `false`. @default 'http://localhost' */
  issuer?: string;
}

/** The public key set the issuer publishes. */
export type TestJwks = {
  keys: PublicJwk[];
};

/** Options of {@link TestIssuer.rotateKeys}. */
export interface RotateKeysOptions {
  /** Keep publishing the previous keys (a real rotation overlaps). @default true */
  keepOld?: boolean;
}

/** A running test issuer. */
export interface TestIssuer {
  /** The issuer URL (`iss`), e.g. `http://127.0.0.1:54321`. Pass it to the verifier. */
  readonly issuer: string;
  /** `{issuer}/_torii/.well-known/jwks.json`. */
  readonly jwksUrl: string;
  /** The `pid` of tokens signed by default. */
  readonly environmentId: string;
  /** `kid` of the key tokens are currently signed with. */
  readonly kid: string;
  /** How many times the JWKS was requested, over HTTP and through {@link TestIssuer.fetch}. */
  readonly requestCount: number;
  /**
   * Sign a token: torii defaults (`sub`, `pid`, `iat`, `exp` = now + 15 min, `email_verified`,
   * `profile_complete`, `locale: 'en'`), then `defaultClaims`, then `claims`.
   */
  sign(claims?: TestTokenClaims, options?: SignOptions): Promise<string>;
  /** Make a new current key. Returns its `kid`. */
  rotateKeys(options?: RotateKeysOptions): Promise<string>;
  /** The published key set (a copy), for a verifier's static `jwks` option. */
  jwks(): TestJwks;
  /** A `fetch` that answers the JWKS path without any network; pass it as the verifier's `fetch`. */
  readonly fetch: typeof fetch;
  /** With `false`, the JWKS answers `503` (to test outages and stale-if-error); `true` restores it. */
  setAvailable(available: boolean): void;
  /** Stop the HTTP server. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Start a local torii issuer.
 *
 * @example
 * ```ts
 * const issuer = await createTestIssuer();
 * const token = await issuer.sign({ sub: 'user_123' });
 * const expired = await issuer.sign({}, { expired: true });
 * // verify with { issuer: issuer.issuer } — the verifier fetches issuer.jwksUrl
 * await issuer.close();
 * ```
 */
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const keyCount = options.keys ?? 1;
  if (!Number.isInteger(keyCount) || keyCount < 1) {
    throw new RangeError(
      `torii testing: keys must be a positive integer (got ${String(keyCount)}).`,
    );
  }
  if (options.listen !== false && options.issuer !== undefined) {
    throw new TypeError(
      'torii testing: the issuer option is only for listen: false; a listening issuer is its own URL.',
    );
  }

  let keyIndex = 0;
  const makeKey = (kid?: string): Promise<SigningKey> => {
    const index = keyIndex++;
    return options.seed === undefined
      ? generateSigningKey(kid)
      : deriveSigningKey(options.seed, index, kid);
  };

  let keys: SigningKey[] = [];
  for (let i = 0; i < keyCount; i++) keys.push(await makeKey(i === 0 ? options.kid : undefined));

  const otherKeys: OtherAlgorithmKeys = {};
  const environmentId = options.environmentId ?? DEFAULT_TEST_ENVIRONMENT_ID;
  let requestCount = 0;
  let available = true;

  const jwks = (): TestJwks => ({ keys: keys.map((key) => ({ ...key.publicJwk })) });

  const handler: FetchHandler = async (request) => {
    const url = new URL(request.url);
    if (url.pathname !== JWKS_PATH) {
      return new Response('Not found. The JWKS is at /_torii/.well-known/jwks.json.', {
        status: 404,
      });
    }
    requestCount++;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
    }
    if (!available) {
      return new Response('JWKS unavailable (setAvailable(false)).', {
        status: 503,
        headers: { 'retry-after': '30' },
      });
    }
    return new Response(JSON.stringify(jwks()), {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
  };

  let served: ServedHandler | undefined;
  if (options.listen !== false) {
    served = await serveFetchHandler(handler, { host: options.host, port: options.port ?? 0 });
  }
  const issuerUrl = served?.origin ?? stripTrailingSlash(options.issuer ?? 'http://localhost');

  const current = (): SigningKey => {
    const key = keys[0];
    if (key === undefined) throw new Error('torii testing: the issuer has no keys.');
    return key;
  };

  const sign = async (
    claims: TestTokenClaims = {},
    signOptions: SignOptions = {},
  ): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const alg = signOptions.alg ?? 'ES256';
    let iat = now;
    let exp =
      now + durationToSeconds(signOptions.expiresIn ?? DEFAULT_TOKEN_LIFETIME_SECONDS, 'expiresIn');
    if (signOptions.expired === true) {
      iat = now - 1500;
      exp = now - 600;
    }
    const payload: Record<string, unknown> = {
      iss: signOptions.issuer ?? issuerUrl,
      sub: DEFAULT_TEST_USER_ID,
      pid: environmentId,
      iat,
      exp,
      email_verified: true,
      profile_complete: true,
      locale: 'en',
    };
    if (signOptions.notBefore !== undefined) {
      payload.nbf = now + durationToSeconds(signOptions.notBefore, 'notBefore');
    }
    Object.assign(payload, options.defaultClaims, claims);
    if (signOptions.issuer !== undefined) payload.iss = signOptions.issuer;
    for (const [name, value] of Object.entries(payload)) {
      if (value === undefined) delete payload[name];
    }

    const named = signOptions.kid;
    const signingKey =
      typeof named === 'string' ? (keys.find((key) => key.kid === named) ?? current()) : current();
    const header: Record<string, unknown> = { alg, typ: 'JWT' };
    if (named !== null) header.kid = named ?? signingKey.kid;
    Object.assign(header, signOptions.header);

    const token = await signCompactJws(header, payload, alg, signingKey, otherKeys);
    return signOptions.tampered === true ? tamper(token) : token;
  };

  const fetchJwks = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    handler(new Request(input, init));

  return {
    get issuer() {
      return issuerUrl;
    },
    get jwksUrl() {
      return `${issuerUrl}${JWKS_PATH}`;
    },
    environmentId,
    get kid() {
      return current().kid;
    },
    get requestCount() {
      return requestCount;
    },
    sign,
    async rotateKeys(rotateOptions: RotateKeysOptions = {}) {
      const fresh = await makeKey();
      keys = rotateOptions.keepOld === false ? [fresh] : [fresh, ...keys];
      return fresh.kid;
    },
    jwks,
    fetch: fetchJwks,
    setAvailable(value: boolean) {
      available = value;
    },
    async close() {
      await served?.close();
    },
  };
}

/** Replace the payload of a signed token, keeping the old signature. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(base64urlToText(payload ?? '')) as Record<string, unknown>;
  claims.sub = `${String(claims.sub ?? '')}-tampered`;
  return `${header}.${base64url(JSON.stringify(claims))}.${signature}`;
}

function stripTrailingSlash(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}
