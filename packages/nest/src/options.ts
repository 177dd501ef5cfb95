/**
 * Options of `ToriiModule.forRoot` and `ToriiModule.forRootAsync`.
 *
 * @module
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { ExecutionContext, FactoryProvider, ModuleMetadata } from '@nestjs/common';
import type { AdapterOptions, AuthDenied, ToriiAuth, ToriiClientOptions } from '@torii/core';

/** What the guard needs of a request on either platform (Express `Request`, `FastifyRequest`). */
export interface ToriiRequest {
  headers: IncomingHttpHeaders;
  /** The Node request under a Fastify request (`@nestjs/platform-fastify`). */
  raw?: IncomingMessage;
  /**
   * Set by `ToriiGuard`: the verified user, or `null` on an optional route without a token;
   * `undefined` where the guard did not run (`@Public()`, a controller without the guard).
   */
  auth?: ToriiAuth | null;
}

/**
 * A per-route authorization check (see `@Authorize()`): `true` lets the request go on, anything
 * else answers 403 `forbidden`. `request` is the platform's request (Express `Request` or
 * `FastifyRequest`); narrow `TRequest` to read more of it than its headers.
 */
export type ToriiAuthorize<TRequest extends ToriiRequest = ToriiRequest> = (
  auth: ToriiAuth,
  request: TRequest,
) => boolean | Promise<boolean>;

/** Options of {@link ToriiModule.forRoot}: torii's verify and decision options plus Nest specifics. */
export interface ToriiModuleOptions extends AdapterOptions<ToriiRequest> {
  /** Your torii secret key (`sk_…`). When set, `ToriiClient` can be injected. */
  secretKey?: string;
  /** Further options of the injected `ToriiClient` (API URL, timeout, retries). */
  client?: Omit<ToriiClientOptions, 'secretKey'>;
  /**
   * Replaces torii's answer to a denied request (401, 403, 503): return the exception to throw.
   * torii then sets no headers; `denied.headers` are yours to copy. Exception filters that
   * `@Catch(ToriiDeniedException)` are the other way to change the answer.
   *
   * @example
   * ```ts
   * exceptionFactory: (denied) => new UnauthorizedException('Sign in first')
   * ```
   */
  exceptionFactory?: (denied: AuthDenied, context: ExecutionContext) => Error;
}

/** Options that shape the module itself, known before any provider is resolved. */
export interface ToriiModuleExtras {
  /** Register `ToriiGuard` as a global guard (`APP_GUARD`): every route needs auth unless `@Public()`. @default false */
  globalGuard?: boolean;
  /** Make the module's providers (`ToriiGuard`, `ToriiClient`, options) visible to every module. @default false */
  isGlobal?: boolean;
}

/** Options of {@link ToriiModule.forRootAsync}. */
export interface ToriiModuleAsyncOptions
  extends ToriiModuleExtras,
    Pick<ModuleMetadata, 'imports'> {
  /** Builds the options from the providers listed in `inject`. */
  useFactory: (...args: never[]) => ToriiModuleOptions | Promise<ToriiModuleOptions>;
  /** Providers passed to `useFactory`, in order. */
  inject?: FactoryProvider['inject'];
}
