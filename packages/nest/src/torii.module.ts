/**
 * `ToriiModule`: configures torii once and provides `ToriiGuard` and `ToriiClient`.
 *
 * @module
 */
import {
  type DynamicModule,
  Inject,
  Logger,
  type LoggerService,
  Module,
  type OnApplicationBootstrap,
  Optional,
  type Provider,
  Scope,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  type AuthGuard,
  createAuthGuard,
  ToriiClient,
  ToriiConfigError,
  type ToriiLogger,
} from '@torii/core';
import type {
  ToriiModuleAsyncOptions,
  ToriiModuleExtras,
  ToriiModuleOptions,
  ToriiOptionsFactory,
  ToriiRequest,
} from './options.js';
import { TORII_AUTH_GUARD, TORII_CLIENT, TORII_OPTIONS } from './tokens.js';
import { ToriiGuard } from './torii.guard.js';

/** The options @torii/nest adds to core's (the extras only in forRoot: forRootAsync takes them beside). */
const MODULE_OPTIONS = ['secretKey', 'client', 'exceptionFactory'] as const;
const EXTRAS = ['globalGuard', 'isGlobal'] as const;

/**
 * The module's logger as core takes it: Nest's `Logger('Torii')` by default, so lines follow the
 * application's logger and levels; a Nest `LoggerService` (which has `log`, not `info`) adapted;
 * any other logger (pino) as it is.
 */
function toriiLoggerOf(logger: ToriiModuleOptions['logger']): ToriiLogger | false | undefined {
  if (logger === false) return false;
  const target: unknown = logger ?? new Logger('Torii');
  const methods = target as Partial<Record<'debug' | 'info' | 'log' | 'warn' | 'error', unknown>>;
  if (typeof methods.info === 'function' || typeof methods.log !== 'function') {
    return target as ToriiLogger; // pino and the like; anything else is core's to refuse
  }
  const nest = target as LoggerService;
  return {
    debug: (message) => nest.debug?.(message),
    info: (message) => nest.log(message),
    warn: (message) => nest.warn(message),
    error: (message) => nest.error(message),
  };
}

/**
 * Core's guard from the module options; the verifier never sees the secret key. The module's own
 * option names are declared to core (so that a misspelling of one is suggested) and stripped.
 */
function guardOf(name: string, extrasAllowed: boolean) {
  return (options: ToriiModuleOptions & ToriiModuleExtras): AuthGuard<ToriiRequest> => {
    if (!extrasAllowed && options !== null && typeof options === 'object') {
      const misplaced = EXTRAS.filter((key) => key in options);
      if (misplaced.length > 0) {
        throw new ToriiConfigError(
          `torii: ${misplaced.join(' and ')} shape the module: give them to ToriiModule.forRootAsync() beside useFactory/useClass/useExisting, not in the options it builds.`,
        );
      }
    }
    const { secretKey, client, exceptionFactory, globalGuard, isGlobal, logger, ...rest } =
      options ?? {};
    return createAuthGuard<ToriiRequest>(
      { ...rest, logger: toriiLoggerOf(logger) },
      { name, options: [...MODULE_OPTIONS, ...EXTRAS] },
    );
  };
}

/**
 * The one `ToriiClient` of a module, built when it is first injected: from `secretKey` (or
 * `TORII_SECRET_KEY`) and `client`, with the module's logger and telemetry as defaults.
 */
class ToriiClientHolder {
  #client: ToriiClient | undefined;

  constructor(private readonly options: ToriiModuleOptions) {}

  get(): ToriiClient {
    if (this.#client !== undefined) return this.#client;
    const { secretKey, client, logger, debug, onEvent, telemetry } = this.options;
    const inherited = { debug, onEvent, telemetry, logger: toriiLoggerOf(logger) };
    try {
      this.#client = new ToriiClient({ ...definedOnly(inherited), ...client, secretKey });
    } catch (error) {
      if (!(error instanceof ToriiConfigError)) throw error;
      throw new ToriiConfigError(
        `torii: ToriiClient is injected, but it cannot be created: ${error.message.replace(/^torii: /, '')} With @torii/nest, give secretKey in the options of ToriiModule.forRoot() (or return it from forRootAsync()), or set TORII_SECRET_KEY.`,
        { cause: error },
      );
    }
    return this.#client;
  }
}

/** `value` without its `undefined` members. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function toriiModule(
  optionsProviders: Provider[],
  extras: ToriiModuleExtras,
  name: 'ToriiModule.forRoot()' | 'ToriiModule.forRootAsync()',
  imports: DynamicModule['imports'] = [],
): DynamicModule {
  const providers: Provider[] = [
    ...optionsProviders,
    {
      provide: TORII_AUTH_GUARD,
      useFactory: guardOf(name, name === 'ToriiModule.forRoot()'),
      inject: [TORII_OPTIONS],
    },
    {
      provide: TORII_CLIENT,
      useFactory: (options: ToriiModuleOptions) => new ToriiClientHolder(options ?? {}),
      inject: [TORII_OPTIONS],
    },
    // Transient: built for each class that injects it (always the same client), so that a module
    // without a secret key starts as long as nothing injects the client — and fails to start,
    // with a message that names the fix, as soon as something does.
    {
      provide: ToriiClient,
      scope: Scope.TRANSIENT,
      useFactory: (holder: ToriiClientHolder) => holder.get(),
      inject: [TORII_CLIENT],
    },
    ToriiGuard,
  ];
  const exports: DynamicModule['exports'] = [
    TORII_OPTIONS,
    TORII_AUTH_GUARD,
    ToriiGuard,
    ToriiClient,
  ];
  if (extras.globalGuard) providers.push({ provide: APP_GUARD, useClass: ToriiGuard });
  return { module: ToriiModule, global: extras.isGlobal ?? false, imports, providers, exports };
}

/** The providers of `TORII_OPTIONS` for forRootAsync: exactly one of the three ways. */
function asyncOptionsProviders(options: ToriiModuleAsyncOptions): Provider[] {
  const ways = (['useFactory', 'useClass', 'useExisting'] as const).filter(
    (way) => options?.[way] !== undefined,
  );
  if (ways.length !== 1) {
    throw new ToriiConfigError(
      `torii: ToriiModule.forRootAsync() takes exactly one of useFactory, useClass and useExisting (got ${
        ways.length === 0 ? 'none' : ways.join(' and ')
      }).`,
    );
  }
  const { useFactory, useClass, useExisting } = options;
  if (useFactory !== undefined) {
    return [{ provide: TORII_OPTIONS, useFactory, inject: options.inject ?? [] }];
  }
  const factory = (useClass ?? useExisting) as NonNullable<typeof useClass>;
  const fromFactory: Provider = {
    provide: TORII_OPTIONS,
    useFactory: (instance: ToriiOptionsFactory) => {
      if (typeof instance?.createToriiOptions !== 'function') {
        throw new ToriiConfigError(
          `torii: ${factory.name} (ToriiModule.forRootAsync ${ways[0]}) must implement ToriiOptionsFactory: a createToriiOptions() method that returns the options.`,
        );
      }
      return instance.createToriiOptions();
    },
    inject: [factory],
  };
  return useClass === undefined ? [fromFactory] : [fromFactory, useClass];
}

/**
 * Configures torii for a Nest application. Import it once with your issuer; then protect routes
 * with `@UseGuards(ToriiGuard)`, or all of them with `globalGuard: true` and `@Public()` to open some.
 *
 * At `onApplicationBootstrap` the module fetches the issuer's key set (the startup check): when it
 * cannot be fetched, one warning is logged and the application starts (`startup: 'warn'`, the
 * default), or the start fails (`startup: 'fail'`).
 *
 * @example
 * ```ts
 * @Module({ imports: [ToriiModule.forRoot({ issuer: 'https://acme.torii.so', globalGuard: true })] })
 * class AppModule {}
 * ```
 */
@Module({})
export class ToriiModule implements OnApplicationBootstrap {
  // Optional: a bare `imports: [ToriiModule]` (without forRoot) provides no guard and checks nothing.
  constructor(
    @Optional() @Inject(TORII_AUTH_GUARD) private readonly guard?: AuthGuard<ToriiRequest>,
  ) {}

  /** The startup check: fetches the issuer's key set before the application serves requests. */
  async onApplicationBootstrap(): Promise<void> {
    await this.guard?.ready();
  }

  /**
   * Configures torii with options known up front (`issuer` and `secretKey` default to
   * `TORII_ISSUER` and `TORII_SECRET_KEY`). Bad options (a non-https issuer, a misspelt option)
   * fail the application's start.
   */
  static forRoot(options: ToriiModuleOptions & ToriiModuleExtras = {}): DynamicModule {
    return toriiModule(
      [{ provide: TORII_OPTIONS, useValue: options }],
      options ?? {},
      'ToriiModule.forRoot()',
    );
  }

  /**
   * Configures torii with options built by a provider: a factory (`useFactory` and `inject`), a
   * class the module instantiates (`useClass`), or an existing provider (`useExisting`) that
   * implements {@link ToriiOptionsFactory}. `globalGuard` and `isGlobal` are given here, beside.
   *
   * @example
   * ```ts
   * ToriiModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ issuer: config.getOrThrow('TORII_ISSUER') }),
   * })
   * ToriiModule.forRootAsync({ useClass: ToriiConfig, globalGuard: true })
   * ```
   */
  static forRootAsync(options: ToriiModuleAsyncOptions): DynamicModule {
    return toriiModule(
      asyncOptionsProviders(options),
      options,
      'ToriiModule.forRootAsync()',
      options.imports,
    );
  }
}
