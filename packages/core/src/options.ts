/**
 * The options of token verification, request authentication and the adapter decision.
 *
 * @module
 */
import type { ToriiAuth } from './auth.js';
import type { ObservabilityOptions, ToriiLogger } from './observability.js';

/** A JSON Web Key as found in a JWKS. Only `kty: EC`, `crv: P-256` signing keys are used. */
export interface ToriiJwk {
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  kid?: string;
  alg?: string;
  use?: string;
  [member: string]: unknown;
}

/** A JSON Web Key Set. */
export interface ToriiJwks {
  keys: ToriiJwk[];
}

/** Tunables of the per-issuer JWKS cache. The defaults suit production; change them for tests. */
export interface JwksCacheOptions {
  /** How long a fetched key set is fresh, in ms. @default 300_000 (5 min) */
  ttlMs?: number;
  /**
   * Least time between two refetches caused by unknown `kid`s, and between a failed fetch and the
   * next attempt, in ms. A successful startup or scheduled fetch does not start it, so a key
   * published right after one is picked up by its first token. @default 30_000
   */
  cooldownMs?: number;
  /** Timeout of one JWKS fetch, in ms. @default 5_000 */
  timeoutMs?: number;
  /** How long a key set may be served past its freshness when refreshes fail, in ms. @default 86_400_000 (24 h) */
  maxStaleMs?: number;
  /** Largest JWKS response body accepted, in bytes. @default 65_536 */
  maxBytes?: number;
}

/**
 * Options of {@link verifyToken} and {@link createVerifier}. An unknown option name is a
 * `ToriiConfigError` (with a "did you mean" for a misspelt one), never silently ignored.
 */
export interface VerifyOptions extends ObservabilityOptions {
  /**
   * Your torii issuer URL, e.g. `https://acme.torii.so`. Must be `https:`; `http:` is accepted only
   * for loopback hosts (local development). Trailing slashes are ignored. Not the key set URL:
   * torii builds `{issuer}/_torii/.well-known/jwks.json` from it.
   *
   * @default the `TORII_ISSUER` environment variable (where the runtime has one; not on Workers)
   */
  issuer?: string;
  /** Expected `aud`. Checked only when set (torii does not set `aud` today). */
  audience?: string | readonly string[];
  /** Allowed clock skew for `exp`, `nbf` and `iat`, in seconds. @default 30 */
  clockTolerance?: number;
  /** Largest token accepted, in bytes; longer tokens are rejected before any parsing. @default 8192 */
  maxTokenBytes?: number;
  /** A static key set: skips the network entirely. */
  jwks?: ToriiJwks;
  /** The `fetch` used for the JWKS (a custom agent, a test double). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** JWKS cache tunables. */
  jwksCache?: JwksCacheOptions;
  /**
   * Cache of already verified tokens (bounded LRU, per verifier). `false` turns it off.
   * @default { maxEntries: 10_000 }
   */
  tokenCache?: false | { maxEntries?: number };
}

/** Options of {@link authenticateRequest}: verify options plus where the token is. */
export interface AuthenticateOptions extends VerifyOptions {
  /** The header carrying `Bearer <token>`. @default 'authorization' */
  header?: string;
}

/** How a request is judged, beyond the token itself. `TRequest` is the framework's request. */
export interface DecisionOptions<TRequest> {
  /** Let requests without a token through with `auth: null`. A bad token is still a 401. */
  optional?: boolean;
  /** Return `false` to answer 403. Runs only on a verified token. */
  authorize?: (auth: ToriiAuth, request: TRequest) => boolean | Promise<boolean>;
  /** Read the token from elsewhere (a cookie). Return `null`/`undefined` when there is none. */
  getToken?: (request: TRequest) => string | null | undefined | Promise<string | null | undefined>;
}

/** How the startup check of an adapter (`ready()`) treats an issuer whose keys cannot be fetched. */
export interface StartupOptions {
  /**
   * What `ready()` does (and so Fastify's `onReady` and Nest's `onApplicationBootstrap`, which
   * call it) when the issuer's key set cannot be fetched at startup: `'warn'` logs one warning and
   * lets the application start (the issuer may come up later; until then requests with a token are
   * answered 503); `'fail'` rejects, which fails the start.
   *
   * @default 'warn'
   */
  startup?: 'warn' | 'fail';
}

/**
 * Per-call changes to an `AuthGuard`'s decision, for the routes that differ from the rest of an
 * adapter instance (Fastify's `config: { torii: { optional: true } }`, Nest's `@Authorize()`).
 * Pass them as the third argument of `guard.decide(request, headers, overrides)`.
 */
export interface DecisionOverrides<TRequest> {
  /** Replaces the guard's `optional` for this call. @default the guard's `optional` */
  optional?: boolean;
  /**
   * A route check for this call, on top of the guard's own `authorize`: it runs only on a
   * verified token whose guard-level `authorize` (if any) returned `true`, and the request goes on
   * only when both return `true`. Otherwise the answer is the same 403 `forbidden` as the guard's.
   * A route check needs a user: on an optional call without a token the answer is the 401 of a
   * missing token (`www-authenticate: Bearer`), not `auth: null`.
   *
   * @example
   * ```ts
   * guard.decide(req, req.headers, { authorize: (auth) => auth.raw.role === 'admin' })
   * ```
   */
  authorize?: (auth: ToriiAuth, request: TRequest) => boolean | Promise<boolean>;
  /**
   * Where this call's debug line goes when it is denied (a request-scoped logger, Fastify's
   * `request.log`). Only read when debug logging is on (`guard.debug`).
   * @default the guard's logger
   */
  logger?: ToriiLogger;
}

/** Options every adapter takes: verify options, header name, the decision and the startup check. */
export type AdapterOptions<TRequest> = AuthenticateOptions &
  DecisionOptions<TRequest> &
  StartupOptions;
