/**
 * Fastify plugin for torii: `app.register(toriiAuth, { issuer })` protects the routes of the scope
 * it is registered in and puts the verified user on `request.auth`.
 *
 * @module
 */
import {
  type AdapterOptions,
  type AuthDenied,
  createAuthGuard,
  type DecisionOverrides,
  type ToriiAuth,
  ToriiConfigError,
  type ToriiHealth,
  type ToriiLogger,
} from '@torii/core';
import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export type { ToriiHealth, VerifierStatus } from '@torii/core';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified torii user; `null` on routes where auth is optional, opted out or not registered. */
    auth: ToriiAuth | null;
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
    /** `false` skips torii on this route; `{ optional: true }` attaches a user without requiring one. */
    torii?: false | { optional?: boolean };
  }
}

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

const plugin: FastifyPluginAsync<ToriiFastifyOptions> = async (fastify, options) => {
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

  if (!fastify.hasRequestDecorator('auth')) fastify.decorateRequest('auth', null);
  // This scope's health; a second registration in the same scope keeps the first one's.
  if (!Object.hasOwn(fastify, 'torii')) {
    const health: ToriiHealth = { status: guard.status, ready: guard.ready };
    fastify.decorate('torii', health);
  }
  // The startup check: fetch the keys before the server listens.
  fastify.addHook('onReady', async () => {
    await guard.ready();
  });

  fastify.addHook(hook, async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.config.torii;
    if (route === false) return;
    // The raw Node request: core sees a header sent twice (`headersDistinct`), which
    // `request.headers` folds into one.
    const overrides: DecisionOverrides<FastifyRequest> | undefined = requestLog
      ? { optional: route?.optional, logger: request.log }
      : route?.optional
        ? OPTIONAL_ROUTE
        : undefined;
    const decision = await guard.decide(request, request.raw, overrides);
    if (decision.ok) {
      request.auth = decision.auth;
      return;
    }
    if (onDenied && ((await onDenied(decision, request, reply)) !== undefined || reply.sent)) {
      return reply;
    }
    return reply.code(decision.status).headers(decision.headers).send(decision.body);
  });
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
 * The verified user of a request on a required-auth route. Throws when there is none, which means
 * the route is not in a scope where {@link toriiAuth} is registered, or auth is optional there.
 *
 * @example
 * ```ts
 * api.get('/me', async (request) => ({ userId: getAuth(request).userId }));
 * ```
 */
export function getAuth(request: FastifyRequest): ToriiAuth {
  if (request.auth) return request.auth;
  throw new ToriiConfigError(
    'torii: no verified user on this request. Register toriiAuth in the scope of this route ' +
      '(without optional: true), or read request.auth and handle null.',
  );
}
