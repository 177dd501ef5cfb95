/**
 * `ToriiModule`: configures torii once and provides `ToriiGuard` and `ToriiClient`.
 *
 * @module
 */
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { createAuthGuard, ToriiClient } from '@torii/core';
import type {
  ToriiModuleAsyncOptions,
  ToriiModuleExtras,
  ToriiModuleOptions,
  ToriiRequest,
} from './options.js';
import { TORII_AUTH_GUARD, TORII_OPTIONS } from './tokens.js';
import { ToriiGuard } from './torii.guard.js';

function newClient({ secretKey, client }: ToriiModuleOptions): ToriiClient | null {
  return secretKey === undefined ? null : new ToriiClient({ ...client, secretKey });
}

function toriiModule(
  optionsProvider: Provider,
  extras: ToriiModuleExtras,
  clientProvider: Provider | null,
  imports: DynamicModule['imports'] = [],
): DynamicModule {
  const providers: Provider[] = [
    optionsProvider,
    {
      provide: TORII_AUTH_GUARD,
      // The verifier never sees the secret key or the module's own options.
      useFactory: ({ secretKey, client, exceptionFactory, ...options }: ToriiModuleOptions) =>
        createAuthGuard<ToriiRequest>(options),
      inject: [TORII_OPTIONS],
    },
    ToriiGuard,
  ];
  const exports: DynamicModule['exports'] = [TORII_OPTIONS, TORII_AUTH_GUARD, ToriiGuard];
  if (clientProvider) {
    providers.push(clientProvider);
    exports.push(ToriiClient);
  }
  if (extras.globalGuard) providers.push({ provide: APP_GUARD, useClass: ToriiGuard });
  return { module: ToriiModule, global: extras.isGlobal ?? false, imports, providers, exports };
}

/**
 * Configures torii for a Nest application. Import it once with your issuer; then protect routes
 * with `@UseGuards(ToriiGuard)`, or all of them with `globalGuard: true` and `@Public()` to open some.
 *
 * @example
 * ```ts
 * @Module({ imports: [ToriiModule.forRoot({ issuer: 'https://acme.torii.so', globalGuard: true })] })
 * class AppModule {}
 * ```
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with static forRoot methods
export class ToriiModule {
  /**
   * Configures torii with options known up front. Bad options (a non-https issuer, say) fail the
   * application's start. `ToriiClient` is provided only when `secretKey` is set.
   */
  static forRoot(options: ToriiModuleOptions & ToriiModuleExtras): DynamicModule {
    const client = newClient(options);
    return toriiModule(
      { provide: TORII_OPTIONS, useValue: options },
      options,
      client && { provide: ToriiClient, useValue: client },
    );
  }

  /**
   * Configures torii with options built by a factory (from a config service, say). `ToriiClient`
   * is always provided here, and is `null` when the factory's options have no `secretKey`.
   *
   * @example
   * ```ts
   * ToriiModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ issuer: config.getOrThrow('TORII_ISSUER') }),
   * })
   * ```
   */
  static forRootAsync(options: ToriiModuleAsyncOptions): DynamicModule {
    return toriiModule(
      { provide: TORII_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
      options,
      { provide: ToriiClient, useFactory: newClient, inject: [TORII_OPTIONS] },
      options.imports,
    );
  }
}
