import { type DynamicModule, Logger } from '@nestjs/common';
import type { AuthDenied, ToriiAuth, VerifierStatus } from '@torii/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  Auth,
  Authorize,
  Public,
  type ToriiAuthorize,
  ToriiClient,
  ToriiDeniedException,
  ToriiGuard,
  ToriiModule,
  type ToriiModuleOptions,
  type ToriiOptionsFactory,
  type ToriiRequest,
} from './index.js';

class AppConfig {
  get(key: string): string {
    return key;
  }
}

describe('@torii/nest types', () => {
  it('@Auth() takes no field or a field of ToriiAuth', () => {
    expectTypeOf(Auth).parameter(0).toEqualTypeOf<keyof ToriiAuth | undefined>();
    expectTypeOf(Auth()).toEqualTypeOf<ParameterDecorator>();
    expectTypeOf(Auth('userId')).toEqualTypeOf<ParameterDecorator>();
    // @ts-expect-error not a field of ToriiAuth
    Auth('user_id');
    expectTypeOf(Public()).toEqualTypeOf<MethodDecorator & ClassDecorator>();
  });

  it('@Authorize() takes a sync or async predicate of the auth and the request', () => {
    expectTypeOf(Authorize((auth) => auth.raw.role === 'admin')).toEqualTypeOf<
      MethodDecorator & ClassDecorator
    >();
    Authorize(async (auth, request) => auth.emailVerified && request.headers.host !== undefined);
    // a narrower request type, to read the platform request's params
    Authorize((auth, request: ToriiRequest & { params: { org: string } }) => {
      expectTypeOf(request.params.org).toEqualTypeOf<string>();
      return auth.raw.org === request.params.org;
    });
    expectTypeOf<ToriiAuthorize>().toEqualTypeOf<
      (auth: ToriiAuth, request: ToriiRequest) => boolean | Promise<boolean>
    >();
    // @ts-expect-error a predicate, not a role name
    Authorize('admin');
    // @ts-expect-error the predicate answers a boolean
    Authorize((auth) => auth.raw.role);
    // @ts-expect-error the request type must still be a request with headers
    Authorize((_auth, _request: { params: Record<string, string> }) => true);
  });

  it('request.auth is ToriiAuth | null once the guard ran', () => {
    expectTypeOf<ToriiRequest['auth']>().toEqualTypeOf<ToriiAuth | null | undefined>();
    expectTypeOf<ToriiDeniedException['denied']>().toEqualTypeOf<AuthDenied>();
  });

  it('types forRoot and forRootAsync', () => {
    expectTypeOf(
      ToriiModule.forRoot({ issuer: 'https://acme.torii.so' }),
    ).toEqualTypeOf<DynamicModule>();
    // the issuer and the secret key may come from TORII_ISSUER and TORII_SECRET_KEY
    ToriiModule.forRoot({ globalGuard: true });
    ToriiModule.forRoot();
    // Nest's Logger (log, not info) or a ToriiLogger (pino, console), or false
    ToriiModule.forRoot({ logger: new Logger('Auth') });
    ToriiModule.forRoot({ logger: console, startup: 'fail' });
    ToriiModule.forRoot({ logger: false });
    ToriiModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ issuer: config.get('TORII_ISSUER') }),
      globalGuard: true,
    });
    // @ts-expect-error the factory must return options
    ToriiModule.forRootAsync({ useFactory: () => 'https://acme.torii.so' });
    class ToriiConfig implements ToriiOptionsFactory {
      createToriiOptions(): ToriiModuleOptions {
        return { issuer: 'https://acme.torii.so' };
      }
    }
    ToriiModule.forRootAsync({ useClass: ToriiConfig, globalGuard: true });
    ToriiModule.forRootAsync({ useExisting: ToriiConfig, imports: [] });
    // @ts-expect-error useClass takes a ToriiOptionsFactory
    ToriiModule.forRootAsync({ useClass: AppConfig });
    expectTypeOf<ToriiModuleOptions['authorize']>().toEqualTypeOf<
      ((auth: ToriiAuth, request: ToriiRequest) => boolean | Promise<boolean>) | undefined
    >();
    expectTypeOf<InstanceType<typeof ToriiClient>>().toHaveProperty('users');
  });

  it('ToriiGuard reports the health', () => {
    expectTypeOf<ReturnType<ToriiGuard['status']>>().toEqualTypeOf<VerifierStatus>();
    expectTypeOf<ReturnType<ToriiGuard['ready']>>().toEqualTypeOf<Promise<VerifierStatus>>();
  });
});
