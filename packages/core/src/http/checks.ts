/**
 * Route-level authorization checks: the {@link AuthCheck} type, the ready-made checks for what a
 * torii token carries, and the combinators {@link allOf} / {@link anyOf}. Every adapter re-exports
 * them for its `authorize(check)` (Express, Hono, Koa, Fastify), route config (Fastify) or
 * `@Authorize(check)` (Nest).
 *
 * @module
 */
import type { ToriiAuth, ToriiJwtPayload } from '../auth.js';
import { describeValue, failOption } from '../shared/option-checks.js';

/**
 * A check of a verified user (and the framework's request): `true` lets the request go on,
 * anything else answers 403 `forbidden`. Sync or async; an error thrown goes to the framework's
 * error path. `TRequest` is the framework's request (`unknown` for checks that do not read it).
 *
 * @example
 * ```ts
 * const isAdmin: AuthCheck = (auth) => auth.raw.role === 'admin';
 * ```
 */
export type AuthCheck<TRequest = unknown> = (
  auth: ToriiAuth,
  request: TRequest,
) => boolean | Promise<boolean>;

/** A claim value {@link claimEquals} and {@link claimIncludes} compare with: a JSON scalar. */
export type ClaimScalar = string | number | boolean | null;

/** The type of claim `K` of a verified payload: declared ones through `ToriiCustomClaims`. */
type ClaimType<K extends string> = ToriiJwtPayload[K];

/**
 * The values {@link claimEquals} accepts for claim `K`: any scalar for an undeclared claim, else
 * the scalars of the declared type (`never` for a declared object or array claim: use
 * {@link claimIncludes} for arrays).
 */
export type ClaimEqualsValue<K extends string> =
  unknown extends ClaimType<K> ? ClaimScalar : Extract<ClaimType<K>, ClaimScalar>;

/** The element type of an array claim, `string` for a string claim (its space-separated words). */
type ElementOf<T> = T extends readonly (infer E)[] ? E : T extends string ? string : never;

/**
 * The values {@link claimIncludes} accepts for claim `K`: any scalar for an undeclared claim,
 * else an element of the declared array type (or a word of a declared string claim).
 */
export type ClaimIncludesValue<K extends string> =
  unknown extends ClaimType<K>
    ? ClaimScalar
    : Extract<ElementOf<NonNullable<ClaimType<K>>>, ClaimScalar>;

/**
 * The user's email address is verified (`email_verified: true`).
 *
 * @example
 * ```ts
 * app.post('/billing', requireAuth({ issuer }), authorize(emailVerified), handler);
 * ```
 */
export function emailVerified(auth: ToriiAuth): boolean {
  return auth.emailVerified;
}

/**
 * The user's profile is complete (`profile_complete` is not `false`).
 *
 * @example
 * ```ts
 * app.get('/dashboard', requireAuth({ issuer }), authorize(profileComplete), handler);
 * ```
 */
export function profileComplete(auth: ToriiAuth): boolean {
  return auth.profileComplete;
}

/**
 * The session is the user's own, not an admin acting as the user (`impersonating` is not
 * `true`). Put it on what an impersonating admin must not do: change the password, delete the
 * account, move money.
 *
 * @example
 * ```ts
 * app.delete('/account', requireAuth({ issuer }), authorize(notImpersonating), handler);
 * ```
 */
export function notImpersonating(auth: ToriiAuth): boolean {
  return !auth.impersonating;
}

function checkClaimName(name: unknown, factory: string): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) {
    failOption(
      `${factory}(name, value) takes a claim name, a non-empty string (got ${describeValue(name)}).`,
    );
  }
}

function isClaimScalar(value: unknown): value is ClaimScalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function checkClaimValue(value: unknown, factory: string, hint: string): void {
  if (!isClaimScalar(value)) {
    failOption(
      `${factory}(name, value) compares a claim with a string, a finite number, a boolean or null (got ${
        Array.isArray(value) ? 'an array' : describeValue(value)
      }). ${hint}`,
    );
  }
}

/** The claim `name` of the verified payload, read as an own member only (never a prototype's). */
function claimOf(auth: ToriiAuth, name: string): unknown {
  return Object.hasOwn(auth.raw, name) ? auth.raw[name] : undefined;
}

/**
 * The token's environment (`pid`) is `environmentId`: refuses tokens of your other environments
 * (a staging token on production) when several share an issuer.
 *
 * @throws {@link ToriiConfigError} when `environmentId` is not a non-empty string
 *
 * @example
 * ```ts
 * app.use('/api', requireAuth({ issuer }), authorize(environment('env_live_123')));
 * ```
 */
export function environment(environmentId: string): (auth: ToriiAuth) => boolean {
  if (typeof environmentId !== 'string' || environmentId.length === 0) {
    failOption(
      `environment(environmentId) takes the environment id (the tokens' pid), a non-empty string (got ${describeValue(environmentId)}).`,
    );
  }
  return (auth) => auth.environmentId === environmentId;
}

/**
 * The claim `name` is exactly `value` (`===`). Declare your custom claims once in
 * `ToriiCustomClaims` and both the name and the value are checked by the compiler.
 *
 * @throws {@link ToriiConfigError} when `name` is not a non-empty string or `value` not a scalar
 *
 * @example
 * ```ts
 * declare module '@torii/express' {
 *   interface ToriiCustomClaims { org_role?: 'admin' | 'member' }
 * }
 * app.get('/admin', requireAuth({ issuer }), authorize(claimEquals('org_role', 'admin')), handler);
 * ```
 */
export function claimEquals<K extends string>(
  name: K,
  value: ClaimEqualsValue<K>,
): (auth: ToriiAuth) => boolean {
  checkClaimName(name, 'claimEquals');
  checkClaimValue(value, 'claimEquals', 'For an array claim, use claimIncludes(name, value).');
  return (auth) => claimOf(auth, name) === value;
}

const WHITESPACE = /\s+/;

/**
 * The claim `name` includes `value`: an array claim that contains it, or a string claim of
 * space-separated words (like OAuth's `scope`) of which it is one.
 *
 * @throws {@link ToriiConfigError} when `name` is not a non-empty string or `value` not a scalar
 *
 * @example
 * ```ts
 * declare module '@torii/express' {
 *   interface ToriiCustomClaims { permissions?: ('billing:read' | 'billing:write')[] }
 * }
 * app.post('/invoices', requireAuth({ issuer }), authorize(claimIncludes('permissions', 'billing:write')), handler);
 * ```
 */
export function claimIncludes<K extends string>(
  name: K,
  value: ClaimIncludesValue<K>,
): (auth: ToriiAuth) => boolean {
  checkClaimName(name, 'claimIncludes');
  checkClaimValue(value, 'claimIncludes', 'It looks for one value in an array claim.');
  return (auth) => {
    const claim = claimOf(auth, name);
    if (Array.isArray(claim)) return claim.includes(value);
    return typeof claim === 'string' && typeof value === 'string'
      ? claim.split(WHITESPACE).includes(value)
      : false;
  };
}

function checkChecks(checks: readonly unknown[], combinator: string): void {
  if (checks.length === 0) {
    failOption(`${combinator}() takes at least one check (got none).`);
  }
  checks.forEach((check, index) => {
    if (typeof check !== 'function') {
      failOption(
        `${combinator}() takes checks, functions (auth, request) => boolean | Promise<boolean> (argument ${index + 1} is ${describeValue(check)}).`,
      );
    }
  });
}

/**
 * Runs `checks` from `index` in order until one answers `stopAt` (`true` is the only yes), then
 * answers `stopAt`; `!stopAt` when none did. Synchronous as long as the checks are.
 */
function runChecks<TRequest>(
  checks: readonly AuthCheck<TRequest>[],
  index: number,
  auth: ToriiAuth,
  request: TRequest,
  stopAt: boolean,
): boolean | Promise<boolean> {
  for (let i = index; i < checks.length; i += 1) {
    const result = (checks[i] as AuthCheck<TRequest>)(auth, request);
    if (typeof (result as Partial<PromiseLike<boolean>>)?.then === 'function') {
      return Promise.resolve(result).then((value) =>
        (value === true) === stopAt ? stopAt : runChecks(checks, i + 1, auth, request, stopAt),
      );
    }
    if ((result === true) === stopAt) return stopAt;
  }
  return !stopAt;
}

/**
 * A check that passes when every one of `checks` passes; they run in order and the first that
 * fails ends it.
 *
 * @throws {@link ToriiConfigError} when given no check or something that is not a function
 *
 * @example
 * ```ts
 * app.post('/payouts', requireAuth({ issuer }), authorize(allOf(emailVerified, notImpersonating)), handler);
 * ```
 */
export function allOf<TRequest = unknown>(
  ...checks: readonly AuthCheck<TRequest>[]
): AuthCheck<TRequest> {
  checkChecks(checks, 'allOf');
  const list = [...checks];
  return (auth, request) => runChecks(list, 0, auth, request, false);
}

/**
 * A check that passes when one of `checks` passes; they run in order and the first that passes
 * ends it.
 *
 * @throws {@link ToriiConfigError} when given no check or something that is not a function
 *
 * @example
 * ```ts
 * const staff = anyOf(claimEquals('role', 'admin'), claimEquals('role', 'support'));
 * app.get('/tickets', requireAuth({ issuer }), authorize(staff), handler);
 * ```
 */
export function anyOf<TRequest = unknown>(
  ...checks: readonly AuthCheck<TRequest>[]
): AuthCheck<TRequest> {
  checkChecks(checks, 'anyOf');
  const list = [...checks];
  return (auth, request) => runChecks(list, 0, auth, request, true);
}
