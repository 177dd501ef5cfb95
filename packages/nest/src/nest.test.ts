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
import { type ToriiAuth, ToriiClient, ToriiConfigError } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearer, get, PLATFORMS, startForTest } from '../test/platforms.js';
import { toriiAppModule } from '../test/torii-app-module.js';
import { Auth, Public } from './decorators.js';
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

  @Public()
  @Get('feed')
  feed(@Auth() auth: ToriiAuth | null) {
    return { auth: auth?.userId ?? null };
  }
}

@Public()
@Controller('open')
class OpenController {
  @Get()
  open(@Auth('userId') userId: string | null) {
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

    it('@Public() never rejects and still attaches a valid token', async () => {
      const url = await app();
      expect(await get(url, '/feed')).toMatchObject({ status: 200, body: { auth: null } });
      const token = await issuer.sign({ sub: 'user_feed' });
      expect((await get(url, '/feed', bearer(token))).body).toStrictEqual({ auth: 'user_feed' });
      const tampered = await issuer.sign({}, { tampered: true });
      expect(await get(url, '/feed', bearer(tampered))).toMatchObject({
        status: 200,
        body: { auth: null },
      });
      expect(await get(url, '/open', bearer('garbage'))).toMatchObject({
        status: 200,
        body: { userId: null },
      });
      expect((await get(url, '/open', bearer(token))).body).toStrictEqual({ userId: 'user_feed' });
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
      unguarded(@Auth() auth: ToriiAuth | null) {
        return { auth };
      }
    }

    it('guards only the decorated route', async () => {
      const url = await start(
        toriiAppModule({ issuer: issuer.issuer }, { controllers: [MixedController] }),
      );
      expect((await get(url, '/guarded')).status).toBe(401);
      expect(await get(url, '/unguarded')).toMatchObject({ status: 200, body: { auth: null } });
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
