import type { DynamicModule } from '@nestjs/common';
import type { AuthDenied, ToriiAuth } from '@torii/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  Auth,
  Authorize,
  Public,
  type ToriiAuthorize,
  ToriiClient,
  ToriiDeniedException,
  ToriiModule,
  type ToriiModuleOptions,
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
    // @ts-expect-error the issuer is required
    ToriiModule.forRoot({ globalGuard: true });
    ToriiModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ issuer: config.get('TORII_ISSUER') }),
      globalGuard: true,
    });
    // @ts-expect-error the factory must return options with an issuer
    ToriiModule.forRootAsync({ useFactory: () => ({ optional: true }) });
    expectTypeOf<ToriiModuleOptions['authorize']>().toEqualTypeOf<
      ((auth: ToriiAuth, request: ToriiRequest) => boolean | Promise<boolean>) | undefined
    >();
    expectTypeOf<InstanceType<typeof ToriiClient>>().toHaveProperty('users');
  });
});
