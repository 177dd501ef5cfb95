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
} from '@torii/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified torii user; `null` on routes where auth is optional, opted out or not registered. */
    auth: ToriiAuth | null;
  }
  interface FastifyContextConfig {
    /** `false` skips torii on this route; `{ optional: true }` attaches a user without requiring one. */
    torii?: false | { optional?: boolean };
  }
}

/** Options of {@link toriiAuth}: torii's verify and decision options plus Fastify specifics. */
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

/** `{ torii: { optional: true } }` routes: the same guard (verifier, token cache, authorize, getToken). */
const OPTIONAL_ROUTE: DecisionOverrides<FastifyRequest> = Object.freeze({ optional: true });

const plugin: FastifyPluginAsync<ToriiFastifyOptions> = async (fastify, options) => {
  const { hook = 'onRequest', onDenied, ...guardOptions } = options;
  if (!HOOKS.includes(hook)) {
    throw new ToriiConfigError(
      `torii: hook must be 'onRequest' or 'preHandler' (got ${JSON.stringify(hook)}).`,
    );
  }
  const guard = createAuthGuard<FastifyRequest>(guardOptions);

  if (!fastify.hasRequestDecorator('auth')) fastify.decorateRequest('auth', null);

  fastify.addHook(hook, async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.config.torii;
    if (route === false) return;
    // The raw Node request: core sees a header sent twice (`headersDistinct`), which
    // `request.headers` folds into one.
    const decision = await guard.decide(
      request,
      request.raw,
      route?.optional ? OPTIONAL_ROUTE : undefined,
    );
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
 * const app = Fastify();
 * app.get('/health', async () => ({ ok: true })); // public
 * app.register(async (api) => {
 *   await api.register(toriiAuth, { issuer: 'https://acme.torii.so' });
 *   api.get('/me', async (request) => ({ userId: request.auth?.userId }));
 * });
 * ```
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
