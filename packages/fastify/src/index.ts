/**
 * Fastify plugin for torii: `app.register(toriiAuth, { issuer })` protects the routes of the scope
 * it is registered in and puts the verified user on `request.auth`; a route's
 * `config: { torii: { authorize } }` (or `preHandler: authorize(check)`) checks that user without
 * verifying again.
 *
 * @module
 */
import {
  type AdapterOptions,
  type AuthCheck,
  type AuthDecision,
  type AuthDenied,
  createAuthGuard,
  createRouteCheck,
  type DecisionOverrides,
  type GetAuthOptions,
  readAuth,
  type ToriiAuth,
  ToriiConfigError,
  type ToriiHealth,
  type ToriiLogger,
} from '@torii/core';
import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** What a route's `config.torii` may say (see {@link toriiAuth}). */
export interface ToriiRouteConfig {
  /** `true`: a request without a token goes on with `request.auth === null` on this route. */
  optional?: boolean;
  /**
   * A check of the verified user for this route, run by the scope's torii hook right after it
   * verified the token (so the token is verified once): anything but `true` answers 403
   * `forbidden`; without a user (an optional route, no token) the answer is 401.
   */
  authorize?: AuthCheck<FastifyRequest>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The verified torii user; `null` on an optional route without a token; `undefined` where
     * torii did not run (outside a `toriiAuth` scope, or `config: { torii: false }`). Read it
     * with `getAuth(request)`, which says which of these went wrong.
     */
    auth?: ToriiAuth | null;
  }
  interface FastifyInstance {
    /**
     * The health of the {@link toriiAuth} registered in this scope (or a parent scope):
     * `status()` for a `/health` route, `ready()` for the startup check (which the plugin already
     * runs in `onReady`). Undefined in a scope where toriiAuth is not registered.
     */
    torii: ToriiHealth;
  }
  interface FastifyContextConfig {
    /**
     * `false` skips torii on this route; `{ optional: true }` attaches a user without requiring
     * one; `{ authorize }` adds a check of the user. Read by the hook of a `toriiAuth` scope.
     */
    torii?: false | ToriiRouteConfig;
  }
}

export type {
  AuthCheck,
  AuthDenied,
  ClaimEqualsValue,
  ClaimIncludesValue,
  ClaimScalar,
  GetAuthOptions,
  ToriiAuth,
  ToriiAuthErrorCode,
  ToriiCustomClaims,
  ToriiErrorBody,
  ToriiHealth,
  ToriiJwtPayload,
  VerifierStatus,
} from '@torii/core';
export {
  allOf,
  anyOf,
  claimEquals,
  claimIncludes,
  emailVerified,
  environment,
  notImpersonating,
  profileComplete,
  ToriiApiError,
  ToriiAuthError,
  ToriiConfigError,
  ToriiError,
} from '@torii/core';

/**
 * Options of {@link toriiAuth}: torii's verify and decision options plus Fastify specifics.
 * `logger` defaults to Fastify's own (`app.log`, and `request.log` for a request's debug line)
 * when Fastify has one, else `console`. `startup` decides what the `onReady` check does when the
 * issuer's keys cannot be fetched: `'warn'` (default: one warning, the server starts) or `'fail'`
 * (`app.ready()` / `app.listen()` reject).
 */
export interface ToriiFastifyOptions extends AdapterOptions<FastifyRequest> {
  /** The request hook that runs the check. `preHandler` runs after body parsing. @default 'onRequest' */
  hook?: 'onRequest' | 'preHandler';
  /**
   * Called when a request is denied (401, 403, 503), before torii answers. To replace the answer,
   * send your own with `reply` and return `reply`; return nothing to let torii send `denied`.
   *
   * @example
   * ```ts
   * onDenied: (denied, request, reply) => reply.code(denied.status).send({ message: 'Sign in first' })
   * ```
   */
  onDenied?: (
    denied: AuthDenied,
    request: FastifyRequest,
    reply: FastifyReply,
  ) => undefined | FastifyReply | Promise<undefined | FastifyReply>;
}

const HOOKS = ['onRequest', 'preHandler'] as const;

/** The options @torii/fastify adds to core's, and the registration options Fastify passes along. */
const FASTIFY_OPTIONS = ['hook', 'onDenied', 'prefix', 'logLevel', 'logSerializers'] as const;

/**
 * Fastify's logger, when Fastify has one: a real logger has a `level`; without `logger` in its
 * options Fastify gives a no-op stand-in, and torii's default (`console`) is used instead, so a key
 * set outage is never silent.
 */
function fastifyLogger(log: FastifyBaseLogger): ToriiLogger | undefined {
  return typeof (log as { level?: unknown }).level === 'string' ? log : undefined;
}

/** `{ torii: { optional: true } }` routes: the same guard (verifier, token cache, authorize, getToken). */
const OPTIONAL_ROUTE: DecisionOverrides<FastifyRequest> = Object.freeze({ optional: true });

type OnDenied = NonNullable<ToriiFastifyOptions['onDenied']>;

/** The `onDenied` of the torii hook that ran on a request, for its `authorize()` hooks. */
const hooks = new WeakMap<FastifyRequest, OnDenied>();

/** Sends a denial: `onDenied`'s own reply when it sends one, else torii's JSON answer. */
async function deny(
  denied: AuthDenied,
  onDenied: OnDenied | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  if (onDenied && ((await onDenied(denied, request, reply)) !== undefined || reply.sent)) {
    return reply;
  }
  return reply.code(denied.status).headers(denied.headers).send(denied.body);
}

/** A route's `config.torii` as decision overrides, checked when the route is added. */
function routeOverrides(
  config: ToriiRouteConfig | undefined,
): DecisionOverrides<FastifyRequest> | undefined {
  if (config === undefined) return undefined;
  if (config.authorize === undefined) return config.optional ? OPTIONAL_ROUTE : undefined;
  return { optional: config.optional, authorize: config.authorize };
}

/**
 * Route configs whose `torii` member a request has already checked. `onRoute` checks each route
 * added after the plugin loaded, at start-up; a route declared in the scope before that (before
 * `register()`, or after a `register()` that was not awaited) still runs the scope's hook but was
 * never seen by `onRoute`, so the hook checks its config on the route's first request.
 */
const checkedConfigs = new WeakSet<object>();

function checkRouteConfig(config: unknown, route: string): void {
  if (config === undefined || config === false) return;
  const ok =
    typeof config === 'object' &&
    config !== null &&
    Object.keys(config).every((key) => key === 'optional' || key === 'authorize') &&
    ['boolean', 'undefined'].includes(typeof (config as ToriiRouteConfig).optional) &&
    ['function', 'undefined'].includes(typeof (config as ToriiRouteConfig).authorize);
  if (!ok) {
    throw new ToriiConfigError(
      `torii: route ${route}: config.torii must be false or { optional?: boolean, authorize?: (auth, request) => boolean | Promise<boolean> }.`,
    );
  }
}

const plugin: FastifyPluginAsync<ToriiFastifyOptions> = async (fastify, options) => {
  // `app.register(toriiAuth({ issuer }))`: the plugin called like the other adapters' factories,
  // with the options where Fastify's instance belongs.
  if (typeof (fastify as { addHook?: unknown } | undefined)?.addHook !== 'function') {
    throw new ToriiConfigError(
      'torii: toriiAuth is a Fastify plugin, not a function to call: register it with its options, `await app.register(toriiAuth, { issuer })`.',
    );
  }
  const { hook = 'onRequest', onDenied } = options;
  if (!HOOKS.includes(hook)) {
    throw new ToriiConfigError(
      `torii: hook must be 'onRequest' or 'preHandler' (got ${JSON.stringify(hook)}).`,
    );
  }
  const frameworkLogger = options.logger === undefined ? fastifyLogger(fastify.log) : undefined;
  const guard = createAuthGuard<FastifyRequest>(
    frameworkLogger === undefined ? options : { ...options, logger: frameworkLogger },
    { name: 'toriiAuth', options: FASTIFY_OPTIONS },
  );
  // A request's debug line goes to its own logger (with its request id) when Fastify has one.
  const requestLog = guard.debug && frameworkLogger !== undefined;

  if (!fastify.hasRequestDecorator('auth')) fastify.decorateRequest('auth', undefined);
  // This scope's health; a second registration in the same scope keeps the first one's.
  if (!Object.hasOwn(fastify, 'torii')) {
    const health: ToriiHealth = { status: guard.status, ready: guard.ready };
    fastify.decorate('torii', health);
  }
  // The startup check: fetch the keys before the server listens.
  fastify.addHook('onReady', async () => {
    await guard.ready();
  });

  fastify.addHook('onRoute', (route) => {
    checkRouteConfig(route.config?.torii, `${String(route.method)} ${route.url}`);
  });

  // A callback hook, not an async one: a decision made without waiting (a cached token, or one
  // verified synchronously by node:crypto) goes on at once, with no promise and no microtask turn.
  fastify.addHook(
    hook,
    (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
      // One call of the getter: it builds a new object every time.
      const routeOptions = request.routeOptions;
      const config = routeOptions.config;
      const route = config.torii;
      if (route === false) {
        done();
        return;
      }
      if (route !== undefined && !checkedConfigs.has(config)) {
        try {
          checkRouteConfig(route, `${request.method} ${routeOptions.url}`);
        } catch (error) {
          done(error as Error);
          return;
        }
        checkedConfigs.add(config);
      }
      if (onDenied) hooks.set(request, onDenied);
      else hooks.delete(request);
      const routeConfig = routeOverrides(route);
      const overrides: DecisionOverrides<FastifyRequest> | undefined = requestLog
        ? { ...routeConfig, logger: request.log }
        : routeConfig;
      let decision: AuthDecision | Promise<AuthDecision>;
      try {
        // The raw Node request: core sees a header sent twice, which `request.headers` folds
        // into one.
        decision = guard.decideNow(request, request.raw, overrides);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (decision instanceof Promise) {
        decision.then((answer) => settle(answer, request, reply, done), done);
      } else {
        settle(decision, request, reply, done);
      }
    },
  );

  /** Lets the request through, or answers the denial (then the hook never calls `done`). */
  function settle(
    decision: AuthDecision,
    request: FastifyRequest,
    reply: FastifyReply,
    done: (error?: Error) => void,
  ): void {
    if (decision.ok) {
      request.auth = decision.auth;
      done();
      return;
    }
    deny(decision, onDenied, request, reply).then(undefined, done);
  }
};

/**
 * The torii Fastify plugin. It protects the scope it is registered in (and that scope's children):
 * register it at the root to protect every route, or inside your own `register` to protect a group
 * of routes and leave the rest public.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import toriiAuth from '@torii/fastify';
 *
 * const app = Fastify({ logger: true });
 * app.register(async (api) => {
 *   await api.register(toriiAuth, { issuer: 'https://acme.torii.so' }); // or TORII_ISSUER
 *   api.get('/me', async (request) => ({ userId: request.auth?.userId }));
 *   api.get('/health', { config: { torii: false } }, async () => api.torii.status());
 * });
 * await app.listen({ port: 3000 }); // onReady fetched the issuer's keys first
 * ```
 *
 * The plugin fetches the issuer's key set in `onReady` (the startup check), decorates its scope
 * with `torii` (`status()`, `ready()`), and logs through Fastify's logger.
 */
export const toriiAuth = fp(plugin, { name: '@torii/fastify', fastify: '5.x' });

export default toriiAuth;

/**
 * A route hook that checks the user the scope's {@link toriiAuth} hook put on `request.auth`: the
 * token is not verified again. Use it as `preHandler` (it then runs after torii's hook whichever
 * `hook` torii uses); `config: { torii: { authorize } }` does the same inside torii's own hook.
 * `check(auth, request)` returning `true` lets the request go on; anything else answers torii's
 * 403 `forbidden` (through the plugin's `onDenied`, if it has one). On an optional route without a token the answer is the 401
 * of a missing token (a check needs a user). Where torii did not run it throws a `ToriiError`
 * that names the fix, to Fastify's error handler, as do errors thrown by `check`.
 *
 * @throws {@link ToriiConfigError} at startup when `check` is not a function
 *
 * @example
 * ```ts
 * api.delete('/account', { preHandler: authorize(allOf(emailVerified, notImpersonating)) }, handler);
 * ```
 */
export function authorize(
  check: AuthCheck<FastifyRequest>,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  const routeCheck = createRouteCheck<FastifyRequest>(check);
  return async (request, reply) => {
    const decision = await routeCheck.decide(request.auth, request);
    if (decision.ok) return undefined;
    return deny(decision, hooks.get(request), request, reply);
  };
}

/**
 * The verified user of a request. Throws a {@link ToriiError} that names the fix when torii did
 * not run on this route (outside a {@link toriiAuth} scope, or `config: { torii: false }`), and —
 * unless `{ optional: true }` — when there is no user (an optional route without a token). The
 * messages are the same in every torii adapter.
 *
 * @example
 * ```ts
 * api.get('/me', async (request) => ({ userId: getAuth(request).userId }));
 * api.get('/feed', { config: { torii: { optional: true } } }, async (request) => ({
 *   userId: getAuth(request, { optional: true })?.userId ?? null,
 * }));
 * ```
 */
export function getAuth(request: FastifyRequest): ToriiAuth;
export function getAuth(request: FastifyRequest, options: GetAuthOptions): ToriiAuth | null;
export function getAuth(request: FastifyRequest, options?: GetAuthOptions): ToriiAuth | null {
  return readAuth(request.auth, options);
}
