import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  HttpException,
  Inject,
  Injectable,
  Module,
  type Type,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { countSignatureChecks } from '@torii/conformance';
import { NO_TORII_AUTH_MESSAGE, type ToriiAuth, ToriiClient, ToriiConfigError } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  onTestFinished,
  vi,
} from 'vitest';
import { bearer, get, PLATFORMS, startForTest } from '../test/platforms.js';
import { toriiAppModule } from '../test/torii-app-module.js';
import { Auth, OptionalAuth, Public } from './decorators.js';
import { ToriiGuard } from './torii.guard.js';
import { ToriiModule } from './torii.module.js';
import { ToriiDeniedException } from './torii-denied.exception.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});
// Nothing from the environment of the machine running the tests.
beforeEach(() => {
  vi.stubEnv('TORII_SECRET_KEY', '');
  vi.stubEnv('TORII_ISSUER', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** torii's 401 body and nothing else: not Nest's `{ statusCode, message }`. */
function expectToriiBody(body: unknown, code: string): void {
  expect(body).toStrictEqual({ error: { code, message: expect.any(String) } });
}

@Controller()
class MeController {
  @Get('me')
  me(@Auth() auth: ToriiAuth) {
    return { userId: auth.userId, environmentId: auth.environmentId };
  }

  @Get('me/id')
  id(@Auth('userId') userId: string, @Auth('emailVerified') emailVerified: boolean) {
    return { userId, emailVerified };
  }

  @OptionalAuth()
  @Get('feed')
  feed(@Auth() auth: ToriiAuth | null) {
    return { auth: auth?.userId ?? null };
  }
}

/** Answers HTTP exceptions as Nest does, and every other error as 500 `{ error: name, message }`. */
@Catch()
class ErrorsAsJson implements ExceptionFilter {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}
  catch(error: Error, host: ArgumentsHost) {
    const response = host.switchToHttp().getResponse();
    if (error instanceof HttpException) {
      this.host.httpAdapter.reply(response, error.getResponse(), error.getStatus());
      return;
    }
    this.host.httpAdapter.reply(response, { error: error.name, message: error.message }, 500);
  }
}

@UseFilters(ErrorsAsJson)
@Public()
@Controller('open')
class OpenController {
  @Get()
  open() {
    return { open: true };
  }

  @Get('who')
  who(@Auth('userId') userId: string | null) {
    return { userId };
  }

  @OptionalAuth() // the handler's decorator overrides the controller's @Public()
  @Get('maybe')
  maybe(@Auth('userId') userId: string | null) {
    return { userId };
  }
}

describe.each(PLATFORMS)('@torii/nest on %s', (platform) => {
  /** Starts `module` for the running test; its URL. */
  const start = async (module: Type) => (await startForTest(platform, module)).url;

  describe('global guard (globalGuard: true) and @Public()', () => {
    const app = () =>
      start(
        toriiAppModule(
          { issuer: issuer.issuer, globalGuard: true },
          { controllers: [MeController, OpenController] },
        ),
      );

    it('every route needs a token: 401 with torii body and WWW-Authenticate, never Nest shape', async () => {
      const url = await app();
      const res = await get(url, '/me');
      expect(res.status).toBe(401);
      expectToriiBody(res.body, 'authentication_failed');
      expect(res.body).not.toHaveProperty('statusCode');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);

      const expired = await issuer.sign({}, { expired: true });
      const bad = await get(url, '/me', bearer(expired));
      expect(bad.status).toBe(401);
      expectToriiBody(bad.body, 'authentication_failed');
      expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    });

    it('@Auth() and @Auth(field) receive the verified user', async () => {
      const url = await app();
      const token = await issuer.sign({ sub: 'user_nest', email_verified: true });
      expect((await get(url, '/me', bearer(token))).body).toStrictEqual({
        userId: 'user_nest',
        environmentId: issuer.environmentId,
      });
      expect((await get(url, '/me/id', bearer(token))).body).toStrictEqual({
        userId: 'user_nest',
        emailVerified: true,
      });
    });

    it('@OptionalAuth(): no token → null, a valid one → the user, a bad one → 401', async () => {
      const url = await app();
      expect(await get(url, '/feed')).toMatchObject({ status: 200, body: { auth: null } });
      const token = await issuer.sign({ sub: 'user_feed' });
      expect((await get(url, '/feed', bearer(token))).body).toStrictEqual({ auth: 'user_feed' });
      const tampered = await issuer.sign({}, { tampered: true });
      const bad = await get(url, '/feed', bearer(tampered));
      expect(bad.status).toBe(401);
      expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      expectToriiBody(bad.body, 'authentication_failed');
      // a handler's @OptionalAuth() overrides its controller's @Public()
      expect(await get(url, '/open/maybe')).toMatchObject({ status: 200, body: { userId: null } });
      expect((await get(url, '/open/maybe', bearer(token))).body).toStrictEqual({
        userId: 'user_feed',
      });
      expect((await get(url, '/open/maybe', bearer('garbage'))).status).toBe(401);
    });

    it('@Public() ignores auth entirely: no token is read or verified', async () => {
      const url = await app();
      expect(await get(url, '/open', bearer('garbage'))).toMatchObject({
        status: 200,
        body: { open: true },
      });
      const token = await issuer.sign({ sub: 'user_public' });
      const counter = countSignatureChecks();
      onTestFinished(() => counter.stop());
      expect((await get(url, '/open', bearer(token))).status).toBe(200);
      expect(counter.count).toBe(0);
      // not verified, so not cached either: a guarded route verifies it now
      expect((await get(url, '/me', bearer(token))).status).toBe(200);
      expect(counter.count).toBe(1);
    });

    it('@Auth() on a @Public() route throws the ToriiError every adapter throws', async () => {
      const url = await app();
      const token = await issuer.sign({ sub: 'user_public' });
      expect(await get(url, '/open/who', bearer(token))).toMatchObject({
        status: 500,
        body: { error: 'ToriiError', message: NO_TORII_AUTH_MESSAGE },
      });
    });
  });

  describe('@UseGuards(ToriiGuard) without a global guard', () => {
    @Controller()
    class MixedController {
      @UseGuards(ToriiGuard)
      @Get('guarded')
      guarded(@Auth('userId') userId: string) {
        return { userId };
      }

      @Get('unguarded')
      unguarded() {
        return { ok: true };
      }

      @UseFilters(ErrorsAsJson)
      @Get('unguarded/auth')
      unguardedAuth(@Auth() auth: ToriiAuth | null) {
        return { auth };
      }
    }

    it('guards only the decorated route', async () => {
      const url = await start(
        toriiAppModule({ issuer: issuer.issuer }, { controllers: [MixedController] }),
      );
      expect((await get(url, '/guarded')).status).toBe(401);
      expect(await get(url, '/unguarded')).toMatchObject({ status: 200, body: { ok: true } });
      // reading the auth where the guard did not run is a wiring mistake, said as such
      expect(await get(url, '/unguarded/auth')).toMatchObject({
        status: 500,
        body: { error: 'ToriiError', message: NO_TORII_AUTH_MESSAGE },
      });
      const token = await issuer.sign({ sub: 'user_guarded' });
      expect((await get(url, '/guarded', bearer(token))).body).toStrictEqual({
        userId: 'user_guarded',
      });
    });

    it('authorize false answers 403 with torii body', async () => {
      const url = await start(
        toriiAppModule(
          { issuer: issuer.issuer, authorize: (auth) => auth.impersonating },
          { controllers: [MixedController] },
        ),
      );
      const res = await get(url, '/guarded', bearer(await issuer.sign()));
      expect(res.status).toBe(403);
      expectToriiBody(res.body, 'forbidden');
      const admin = await get(url, '/guarded', bearer(await issuer.sign({ impersonating: true })));
      expect(admin.status).toBe(200);
    });
  });

  describe('ToriiModule.forRoot({ optional: true })', () => {
    @UseGuards(ToriiGuard)
    @Controller('everyone')
    class EveryoneController {
      @Get()
      handle(@Auth() auth: ToriiAuth | null) {
        return { auth: auth?.userId ?? null };
      }
    }

    it('every guarded route is optional: null without a token, 401 with a bad one', async () => {
      const url = await start(
        toriiAppModule(
          { issuer: issuer.issuer, optional: true },
          { controllers: [EveryoneController] },
        ),
      );
      expect(await get(url, '/everyone')).toMatchObject({ status: 200, body: { auth: null } });
      const token = await issuer.sign({ sub: 'user_opt' });
      expect((await get(url, '/everyone', bearer(token))).body).toStrictEqual({
        auth: 'user_opt',
      });
      expect((await get(url, '/everyone', bearer('garbage'))).status).toBe(401);
    });
  });

  describe('replacing the answer', () => {
    @Catch(ToriiDeniedException)
    class DeniedFilter implements ExceptionFilter {
      constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}
      catch(exception: ToriiDeniedException, host: ArgumentsHost) {
        const response = host.switchToHttp().getResponse();
        this.host.httpAdapter.reply(response, { denied: exception.denied.body.error.code }, 499);
      }
    }

    @UseFilters(DeniedFilter)
    @UseGuards(ToriiGuard)
    @Controller('filtered')
    class FilteredController {
      @Get()
      handle() {
        return { ok: true };
      }
    }

    it('an exception filter can catch ToriiDeniedException', async () => {
      const url = await start(
        toriiAppModule({ issuer: issuer.issuer }, { controllers: [FilteredController] }),
      );
      expect(await get(url, '/filtered')).toMatchObject({
        status: 499,
        body: { denied: 'authentication_failed' },
      });
    });

    it('exceptionFactory replaces the exception and torii sets no header', async () => {
      const url = await start(
        toriiAppModule(
          {
            issuer: issuer.issuer,
            exceptionFactory: (denied, context) =>
              new HttpException({ seen: `${denied.status} on ${context.getHandler().name}` }, 418),
          },
          { controllers: [FilteredController] },
        ),
      );
      // FilteredController's own filter catches ToriiDeniedException only: this one passes by.
      const res = await get(url, '/filtered');
      expect(res).toMatchObject({ status: 418, body: { seen: '401 on handle' } });
      expect(res.headers.get('www-authenticate')).toBeNull();
    });
  });

  describe('forRootAsync with a config service', () => {
    @Injectable()
    class AppConfig {
      readonly values: Record<string, string | undefined> = {};
      get(key: string): string | undefined {
        return this.values[key];
      }
    }

    function configModule(values: Record<string, string>) {
      @Module({
        providers: [
          { provide: AppConfig, useFactory: () => Object.assign(new AppConfig(), { values }) },
        ],
        exports: [AppConfig],
      })
      class ConfigModule {}
      return ConfigModule;
    }

    @Controller('client')
    class ClientController {
      constructor(@Inject(ToriiClient) private readonly client: ToriiClient | null) {}
      @Get()
      handle(@Auth('userId') userId: string) {
        return { userId, client: this.client instanceof ToriiClient };
      }
    }

    function asyncModule(values: Record<string, string>) {
      @Module({
        imports: [
          ToriiModule.forRootAsync({
            imports: [configModule(values)],
            inject: [AppConfig],
            useFactory: async (config: AppConfig) => ({
              issuer: config.get('TORII_ISSUER') ?? '',
              secretKey: config.get('TORII_SECRET_KEY'),
            }),
            globalGuard: true,
          }),
        ],
        controllers: [ClientController],
      })
      class AppModule {}
      return AppModule;
    }

    it('reads the options from the config service and injects ToriiClient with a secretKey', async () => {
      const url = await start(
        asyncModule({ TORII_ISSUER: issuer.issuer, TORII_SECRET_KEY: 'sk_test_nest_0001' }),
      );
      expect((await get(url, '/client')).status).toBe(401);
      const token = await issuer.sign({ sub: 'user_async' });
      expect((await get(url, '/client', bearer(token))).body).toStrictEqual({
        userId: 'user_async',
        client: true,
      });
    });

    it('without a secretKey, injecting ToriiClient fails the start and names the fix (as forRoot)', async () => {
      const error = await start(asyncModule({ TORII_ISSUER: issuer.issuer })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ToriiConfigError);
      expect((error as Error).message).toMatch(
        /^torii: ToriiClient is injected, but it cannot be created: secretKey is required.*TORII_SECRET_KEY/,
      );
    });

    it('bad options from the factory fail the application start', async () => {
      await expect(
        start(asyncModule({ TORII_ISSUER: 'http://acme.example.com' })),
      ).rejects.toBeInstanceOf(ToriiConfigError);
    });
  });

  describe('forRoot', () => {
    @Injectable()
    class UsersService {
      constructor(@Inject(ToriiClient) readonly client: ToriiClient) {}
    }

    it('provides ToriiClient when secretKey is set', async () => {
      const { app } = await startForTest(
        platform,
        toriiAppModule(
          { issuer: issuer.issuer, secretKey: 'sk_test_nest_0002' },
          { providers: [UsersService] },
        ),
      );
      expect(app.get(UsersService).client).toBeInstanceOf(ToriiClient);
    });

    it('without secretKey, injecting ToriiClient fails at start and names the fix', async () => {
      const module = toriiAppModule({ issuer: issuer.issuer }, { providers: [UsersService] });
      await expect(start(module)).rejects.toThrow(
        /ToriiClient is injected, but it cannot be created: secretKey is required/,
      );
    });

    it('without secretKey, an app that does not inject ToriiClient starts', async () => {
      const url = await start(
        toriiAppModule(
          { issuer: issuer.issuer, globalGuard: true },
          { controllers: [MeController] },
        ),
      );
      expect((await get(url, '/me')).status).toBe(401);
    });

    it('bad options fail at start with ToriiConfigError', async () => {
      const module = toriiAppModule({ issuer: 'not a url', globalGuard: true });
      await expect(start(module)).rejects.toBeInstanceOf(ToriiConfigError);
    });
  });
});
