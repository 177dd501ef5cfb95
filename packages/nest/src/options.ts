/**
 * Options of `ToriiModule.forRoot` and `ToriiModule.forRootAsync`.
 *
 * @module
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type {
  ExecutionContext,
  FactoryProvider,
  LoggerService,
  ModuleMetadata,
  Type,
} from '@nestjs/common';
import type {
  AdapterOptions,
  AuthDenied,
  ToriiAuth,
  ToriiClientOptions,
  ToriiLogger,
} from '@torii/core';

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

/**
 * Options of {@link ToriiModule.forRoot}: torii's verify and decision options plus Nest specifics.
 * `issuer` and `secretKey` default to `TORII_ISSUER` and `TORII_SECRET_KEY`; `startup` decides
 * what the startup check in `onApplicationBootstrap` does when the issuer's keys cannot be fetched
 * (`'warn'`: one warning, the app starts; `'fail'`: the start fails).
 */
export interface ToriiModuleOptions extends Omit<AdapterOptions<ToriiRequest>, 'logger'> {
  /**
   * Your torii secret key (`sk_…`), for the injectable `ToriiClient`. Injecting `ToriiClient`
   * without one (and without `TORII_SECRET_KEY`) fails the application's start with a
   * `ToriiConfigError` that says so; an app that never injects it needs no key.
   *
   * @default the `TORII_SECRET_KEY` environment variable
   */
  secretKey?: string;
  /**
   * Further options of the injected `ToriiClient` (API URL, timeout, retries). Its `logger`,
   * `debug`, `onEvent` and `telemetry` default to the module's.
   */
  client?: Omit<ToriiClientOptions, 'secretKey'>;
  /**
   * Where torii logs: a Nest `LoggerService` (its `log` takes the info lines) or any logger with
   * `debug`, `info`, `warn` and `error` (pino); `false` for none.
   *
   * @default new Logger('Torii'), so lines follow the application's logger and log levels
   */
  logger?: ToriiLogger | LoggerService | false;
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

/**
 * A provider that builds the module's options, for `forRootAsync({ useClass })` and
 * `forRootAsync({ useExisting })`.
 *
 * @example
 * ```ts
 * @Injectable()
 * class ToriiConfig implements ToriiOptionsFactory {
 *   createToriiOptions(): ToriiModuleOptions {
 *     return { issuer: 'https://acme.torii.so' };
 *   }
 * }
 * ```
 */
export interface ToriiOptionsFactory {
  /** The options of the module (those of `forRoot`, without `globalGuard` and `isGlobal`). */
  createToriiOptions(): ToriiModuleOptions | Promise<ToriiModuleOptions>;
}

/**
 * Options of {@link ToriiModule.forRootAsync}: exactly one of `useFactory`, `useClass` and
 * `useExisting`, as with `@nestjs/jwt`.
 */
export interface ToriiModuleAsyncOptions
  extends ToriiModuleExtras,
    Pick<ModuleMetadata, 'imports'> {
  /** Builds the options from the providers listed in `inject`. */
  useFactory?: (...args: never[]) => ToriiModuleOptions | Promise<ToriiModuleOptions>;
  /** Providers passed to `useFactory`, in order. */
  inject?: FactoryProvider['inject'];
  /** A {@link ToriiOptionsFactory} class the module instantiates (its dependencies from `imports`). */
  useClass?: Type<ToriiOptionsFactory>;
  /** An existing {@link ToriiOptionsFactory} provider (from `imports`), reused. */
  useExisting?: Type<ToriiOptionsFactory>;
}
