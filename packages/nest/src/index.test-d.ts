import { type DynamicModule, Logger } from '@nestjs/common';
import type { AuthDenied, ToriiAuth, VerifierStatus } from '@torii/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  Auth,
  Authorize,
  allOf,
  claimEquals,
  emailVerified,
  getAuth,
  notImpersonating,
  OptionalAuth,
  Public,
  type ToriiAuth as ReExportedAuth,
  type ToriiAuthorize,
  ToriiClient,
  type ToriiClientOptions,
  ToriiDeniedException,
  ToriiGuard,
  ToriiModule,
  type ToriiModuleOptions,
  type ToriiOptionsFactory,
  type ToriiRequest,
} from './index.js';

// Declared through this package, as users do with `declare module '@torii/nest'`; the name is
// unique to this file.
declare module './index.js' {
  interface ToriiCustomClaims {
    nest_test_role?: 'admin' | 'member';
  }
}

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
    expectTypeOf(OptionalAuth()).toEqualTypeOf<MethodDecorator & ClassDecorator>();
  });

  it('getAuth(request) is ToriiAuth; with { optional: true } it may be null', () => {
    const request = {} as ToriiRequest;
    expectTypeOf(getAuth(request)).toEqualTypeOf<ToriiAuth>();
    expectTypeOf(getAuth(request, { optional: true })).toEqualTypeOf<ToriiAuth | null>();
    // @ts-expect-error optional auth may have no user: check for null first
    getAuth(request, { optional: true }).userId;
    // @ts-expect-error request.auth may be missing: read it with getAuth or @Auth()
    request.auth.userId;
  });

  it('@Authorize() takes the ready-made checks, typed through ToriiCustomClaims', () => {
    Authorize(emailVerified);
    Authorize(allOf(emailVerified, notImpersonating, claimEquals('nest_test_role', 'admin')));
    // @ts-expect-error not a value of the declared claim
    Authorize(claimEquals('nest_test_role', 'owner'));
    expectTypeOf<ReExportedAuth>().toEqualTypeOf<ToriiAuth>();
    expectTypeOf<ToriiClientOptions>().toHaveProperty('secretKey');
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
