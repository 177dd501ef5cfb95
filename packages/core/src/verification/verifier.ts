/**
 * The token verification pipeline: `createTokenVerifier` (what the HTTP layer's `createVerifier`
 * builds on) and `verifyToken`. Takes a token string; never sees a request.
 *
 * @module
 */
import type { ToriiAuth, ToriiJwtPayload } from '../auth.js';
import { ToriiAuthError } from '../errors.js';
import type { KeySource } from '../jwks/key-source.js';
import { sharedJwksCache } from '../jwks/registry.js';
import { StaticKeySource } from '../jwks/static-key-source.js';
import { textOfCanonicalBase64Url } from '../jwt/base64url.js';
import { type JsonObject, parseJsonObject } from '../jwt/json-object.js';
import { type JwsVerification, type VerifiedJws, verifyCompactJws } from '../jwt/verify-jws.js';
import type { VerifierStatus } from '../observability.js';
import type { VerifyOptions } from '../options.js';
import { isPromiseLike, type MaybePromise } from '../shared/maybe-promise.js';
import type { Observer } from '../shared/observer.js';
import { checkKnownKeys, isRecord } from '../shared/option-checks.js';
import { checkClaims, expiryDeadlineMs, validFromMs } from './claims.js';
import { FirstSightings } from './first-sightings.js';
import { type IsCurrentKey, TokenCache } from './token-cache.js';
import {
  resolveVerifierConfig,
  VERIFY_OPTION_KEYS,
  type VerifierConfig,
} from './verifier-config.js';

/**
 * Decodes a JWT payload segment: a JSON object with unique member names, else `token_malformed`.
 * The segment comes from `parseCompactJws`, which has already refused a non-canonical one.
 */
function decodeClaimsSet(segment: string): JsonObject {
  const text = textOfCanonicalBase64Url(segment);
  const payload = text === null ? null : parseJsonObject(text);
  if (payload === null) {
    throw new ToriiAuthError(
      'token_malformed',
      'torii: the token payload is not a JSON object with unique member names.',
    );
  }
  return payload;
}

/** Static key sets, imported once per `jwks` object however many verifiers use it. */
const staticKeySources = new WeakMap<object, StaticKeySource>();

function keySourceOf(config: VerifierConfig): KeySource {
  if (config.jwks === null) return sharedJwksCache(config.jwksUrl, config.fetch, config.jwksCache);
  let source = staticKeySources.get(config.jwks);
  if (source === undefined) {
    source = new StaticKeySource(config.jwks);
    staticKeySources.set(config.jwks, source);
  }
  return source;
}

/** A token verifier built once and used for every token. */
export interface TokenVerifier {
  /** The normalised issuer this verifier accepts. */
  readonly issuer: string;
  /** Verify a raw token. Always returns a promise; rejects with {@link ToriiAuthError}. */
  verify(token: string): Promise<ToriiAuth>;
  /**
   * Fetch the key set ahead of the first request (call at server start). Rejects with
   * `jwks_unavailable` when it cannot be had (the failure is also logged, once per outage).
   */
  warmup(): Promise<void>;
  /**
   * The verifier's state now: whether tokens can be verified without waiting for the issuer, the
   * key set (loaded, key count, age, freshness, the last fetch error, cooldown) and the token
   * cache. For readiness probes and `/health` routes; it never fetches.
   *
   * @example
   * ```ts
   * app.get('/health', (req, res) => res.status(verifier.status().ready ? 200 : 503).json(verifier.status()));
   * ```
   */
  status(): VerifierStatus;
}

/** Why a verification failed, as the `outcome` of its event. */
export function outcomeOf(error: unknown): ToriiAuthError['code'] | undefined {
  return error instanceof ToriiAuthError ? error.code : undefined;
}

/**
 * Reports one verification to `observer`: the `verification` event and the counters. Called only
 * when the observer listens (`observer.listening`); the HTTP layer reports with it too, for a
 * request whose token could not even be read (`token_missing`, a repeated header).
 */
export function reportVerification(
  observer: Observer,
  issuer: string,
  outcome: string,
  cacheHit: boolean,
): void {
  if (observer.hasListener) {
    observer.emit({
      type: 'verification',
      issuer,
      outcome: outcome as 'ok',
      cacheHit,
    });
  }
  observer.count('torii.verifications', { 'torii.outcome': outcome });
  if (cacheHit) observer.count('torii.token_cache.hits', {});
}

/**
 * Builds a token verifier once (at startup) and uses it for every token. Options are validated here:
 * a bad issuer or option throws {@link ToriiConfigError} now, never per request. Verifiers of the
 * same issuer share one JWKS cache in the process; each verifier has its own verified-token cache.
 * The names of the options are checked by the public entry points (each knows its own set).
 *
 * Verification, in order: length cap and strict parse (`token_malformed`), `alg` exactly `ES256`
 * (`algorithm_not_allowed`) and header hygiene, key lookup by `kid` (`key_not_found`,
 * `jwks_unavailable`), the ES256 signature (`signature_invalid`), then the claims
 * (`issuer_mismatch`, `token_expired`, `token_not_yet_valid`, `audience_mismatch`,
 * `claims_invalid`). `observer` is given by callers that already built it from `options`.
 *
 * Observability costs nothing unless asked for: with an `onEvent` listener or a meter, each
 * verification is reported (outcome, cache hit); otherwise the unobserved path runs.
 *
 * @throws {@link ToriiConfigError} when an option is invalid
 *
 * @example
 * ```ts
 * const verifier = createTokenVerifier({ issuer: 'https://acme.torii.so' });
 * const auth = await verifier.verify(token);
 * auth.userId; // 'user_abc'
 * ```
 */
export function createTokenVerifier(options?: VerifyOptions, observer?: Observer): TokenVerifier {
  return tokenVerificationOf(resolveVerifierConfig(options, observer)).verifier;
}

/**
 * A token verifier and its internal fast form, for the HTTP layer: `verifyNow` answers the
 * {@link ToriiAuth} itself when it needs no wait (a cache hit; a verification with the keys at
 * hand on the `node` entry), else a promise; it throws or rejects with {@link ToriiAuthError}.
 * Never handed to users: an answer that is sometimes synchronous is for code that checks.
 */
export interface TokenVerification {
  readonly verifier: TokenVerifier;
  readonly verifyNow: (token: string) => MaybePromise<ToriiAuth>;
}

/**
 * The token verifier of an already checked configuration: what {@link createTokenVerifier} and
 * the HTTP layer (which also needs the config's token cap for the header) build on.
 *
 * @example
 * ```ts
 * const config = resolveVerifierConfig({ issuer: 'https://acme.torii.so' });
 * const { verifier, verifyNow } = tokenVerificationOf(config);
 * ```
 */
export function tokenVerificationOf(config: VerifierConfig): TokenVerification {
  const reporter = config.observer;
  const keys = keySourceOf(config);
  const cache = config.tokenCacheEntries > 0 ? new TokenCache(config.tokenCacheEntries) : null;
  // A token enters the cache on its second verification: tokens used once never churn it.
  const sightings = cache === null ? null : new FirstSightings(config.tokenCacheEntries);
  const isCurrentKey: IsCurrentKey = (kid, key) => keys.isCurrentKey(kid, key, reporter);
  const jws: JwsVerification<JsonObject> = {
    maxLength: config.maxTokenBytes,
    decodePayload: decodeClaimsSet,
    getKey: (kid) => keys.getKey(kid, reporter),
  };
  const issuer = config.claims.issuer;

  function checkPresent(token: string): void {
    if (typeof token !== 'string' || token.length === 0) {
      throw new ToriiAuthError('token_missing', 'torii: no token was given to verify.');
    }
  }

  /** The cached auth of `token`, or `undefined`. */
  function cached(token: string): ToriiAuth | undefined {
    return cache === null ? undefined : cache.get(token, Date.now(), isCurrentKey);
  }

  /** Checks the claims of a verified token, caches the auth and returns it. */
  function store(token: string, { payload, kid, key }: VerifiedJws<JsonObject>): ToriiAuth {
    const auth = checkClaims(payload, config.claims, Date.now());
    if (cache !== null && sightings?.seenBefore(token) === true) {
      const tolerance = config.claims.clockToleranceSec;
      cache.set(token, {
        auth,
        validFromMs: validFromMs(payload as ToriiJwtPayload, tolerance),
        deadlineMs: expiryDeadlineMs(payload as ToriiJwtPayload, tolerance),
        kid,
        key,
      });
    }
    return auth;
  }

  /**
   * Verifies a token not in the cache: synchronously when the key is at hand and the signature
   * backend is synchronous (Node), else with a promise. Throws or rejects with `ToriiAuthError`.
   */
  function verifyAndStore(token: string): MaybePromise<ToriiAuth> {
    const verified = verifyCompactJws(token, jws);
    return isPromiseLike(verified)
      ? verified.then((result) => store(token, result))
      : store(token, verified);
  }

  /** The auth now when nothing has to wait, else a promise; throws or rejects. */
  function verifyNow(token: string): MaybePromise<ToriiAuth> {
    checkPresent(token);
    return cached(token) ?? verifyAndStore(token);
  }

  /** One promise per call, whatever path the token takes inside. */
  function verify(token: string): Promise<ToriiAuth> {
    try {
      const auth = verifyNow(token);
      return isPromiseLike(auth) ? auth : Promise.resolve(auth);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async function verifyObserved(token: string): Promise<ToriiAuth> {
    let cacheHit = false;
    try {
      checkPresent(token);
      const hit = cached(token);
      cacheHit = hit !== undefined;
      const auth = hit ?? (await verifyAndStore(token));
      reportVerification(reporter, issuer, 'ok', cacheHit);
      return auth;
    } catch (error) {
      const code = outcomeOf(error);
      if (code !== undefined) reportVerification(reporter, issuer, code, cacheHit);
      throw error;
    }
  }

  const verifier: TokenVerifier = Object.freeze({
    issuer,
    verify: reporter.listening ? verifyObserved : verify,
    warmup: () => keys.warmup(reporter),
    status(): VerifierStatus {
      const keyStatus = keys.status();
      return {
        ready: keyStatus.usable,
        issuer,
        keys: keyStatus,
        tokenCache:
          cache === null ? null : { size: cache.size, maxEntries: config.tokenCacheEntries },
      };
    },
  });
  // Observed, every verification is reported when it ends: the promise path does that.
  return Object.freeze({ verifier, verifyNow: reporter.listening ? verifyObserved : verifyNow });
}

/**
 * Verifies one token. Prefer `createVerifier` for repeated use: it validates the options
 * once and keeps a verified-token cache. The JWKS cache is shared either way. Always returns a
 * promise (never throws synchronously, not even for a bad option).
 *
 * @returns the frozen {@link ToriiAuth}; rejects with {@link ToriiAuthError} or
 * {@link ToriiConfigError}
 *
 * @example
 * ```ts
 * const auth = await verifyToken(token, { issuer: 'https://acme.torii.so' });
 * ```
 */
export async function verifyToken(token: string, options?: VerifyOptions): Promise<ToriiAuth> {
  if (isRecord(options)) checkKnownKeys(options, VERIFY_OPTION_KEYS, 'verifyToken()');
  return createTokenVerifier({ ...options, tokenCache: false }).verify(token);
}
