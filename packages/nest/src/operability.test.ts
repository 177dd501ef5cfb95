import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  type LoggerService,
  Module,
  type Type,
} from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { closedLoopbackUrl } from '@torii/conformance';
import { ToriiAuthError, ToriiClient, ToriiConfigError } from '@torii/core';
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
import { get } from '../test/platforms.js';
import { Public } from './decorators.js';
import type { ToriiModuleOptions, ToriiOptionsFactory } from './options.js';
import { ToriiGuard } from './torii.guard.js';
import { ToriiModule } from './torii.module.js';

// Operability of @torii/nest: forRootAsync with useFactory, useClass and useExisting; the same
// ToriiClient behaviour in forRoot and forRootAsync; the startup check in onApplicationBootstrap;
// ToriiGuard.status() for /health; Nest's Logger as the default logger; misspelt options.

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});
beforeEach(() => {
  vi.stubEnv('TORII_SECRET_KEY', '');
  vi.stubEnv('TORII_ISSUER', '');
  vi.stubEnv('TORII_DEBUG', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** A Nest logger that keeps `LEVEL [context] message` lines. */
function memoryLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) => {
      const context = rest.length > 0 ? String(rest[rest.length - 1]) : '';
      lines.push(`${level} [${context}] ${String(message)}`);
    };
  return {
    lines,
    log: keep('log'),
    error: keep('error'),
    warn: keep('warn'),
    debug: keep('debug'),
    verbose: keep('verbose'),
  };
}

/** Starts `module` on Express with `logger` as the application's logger; closed after the test. */
async function start(module: Type, logger: LoggerService | false = false) {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication(new ExpressAdapter(), { logger });
  onTestFinished(() => app.close());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

@Controller()
class HealthController {
  constructor(@Inject(ToriiGuard) private readonly torii: ToriiGuard) {}

  @Public()
  @Get('health')
  health() {
    return this.torii.status();
  }

  @Get('me')
  me() {
    return {};
  }
}

@Injectable()
class UsersService {
  constructor(@Inject(ToriiClient) readonly client: ToriiClient) {}
}

function appModule(torii: ReturnType<typeof ToriiModule.forRoot>, providers: Type[] = []) {
  @Module({ imports: [torii], controllers: [HealthController], providers })
  class AppModule {}
  return AppModule;
}

@Injectable()
class ToriiConfig implements ToriiOptionsFactory {
  static created = 0;
  constructor() {
    ToriiConfig.created++;
  }
  createToriiOptions(): ToriiModuleOptions {
    return { issuer: issuer.issuer, secretKey: 'sk_test_from_class' };
  }
}

@Module({ providers: [ToriiConfig], exports: [ToriiConfig] })
class ConfigModule {}

describe('forRootAsync: useFactory, useClass and useExisting', () => {
  it.each([
    [
      'useFactory',
      () => ToriiModule.forRootAsync({ useFactory: () => ({ issuer: issuer.issuer }) }),
    ],
    ['useClass', () => ToriiModule.forRootAsync({ useClass: ToriiConfig })],
    [
      'useExisting',
      () => ToriiModule.forRootAsync({ imports: [ConfigModule], useExisting: ToriiConfig }),
    ],
  ])('%s builds the options; the guard and /health work', async (_, torii) => {
    const { url } = await start(appModule(torii()));
    const health = await get(url, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ready: true, issuer: issuer.issuer });
  });

  it('useExisting reuses the provider of the imported module; useClass makes its own', async () => {
    ToriiConfig.created = 0;
    await start(
      appModule(ToriiModule.forRootAsync({ imports: [ConfigModule], useExisting: ToriiConfig }), [
        UsersService,
      ]),
    );
    expect(ToriiConfig.created).toBe(1);
    const { app } = await start(
      appModule(ToriiModule.forRootAsync({ useClass: ToriiConfig }), [UsersService]),
    );
    expect(app.get(UsersService).client).toBeInstanceOf(ToriiClient);
  });

  it('takes exactly one way to build the options', () => {
    expect(() => ToriiModule.forRootAsync({})).toThrow(
      /forRootAsync\(\) takes exactly one of useFactory, useClass and useExisting \(got none\)/,
    );
    expect(() =>
      ToriiModule.forRootAsync({ useClass: ToriiConfig, useFactory: () => ({}) }),
    ).toThrow(/\(got useFactory and useClass\)/);
  });

  it('refuses globalGuard inside the built options (it shapes the module: give it beside)', async () => {
    const torii = ToriiModule.forRootAsync({
      useFactory: () => ({ issuer: issuer.issuer, globalGuard: true }) as ToriiModuleOptions,
    });
    await expect(start(appModule(torii))).rejects.toThrow(
      /globalGuard shape the module: give them to ToriiModule\.forRootAsync\(\) beside/,
    );
  });
});

describe('ToriiClient: the same in forRoot and forRootAsync', () => {
  const variants: [
    string,
    (options: ToriiModuleOptions) => ReturnType<typeof ToriiModule.forRoot>,
  ][] = [
    ['forRoot', (options) => ToriiModule.forRoot(options)],
    ['forRootAsync', (options) => ToriiModule.forRootAsync({ useFactory: () => options })],
  ];

  it.each(variants)(
    '%s: injected with a secretKey, one client for every consumer',
    async (_, torii) => {
      @Injectable()
      class Other {
        constructor(@Inject(ToriiClient) readonly client: ToriiClient) {}
      }
      const { app } = await start(
        appModule(torii({ issuer: issuer.issuer, secretKey: 'sk_test_0001' }), [
          UsersService,
          Other,
        ]),
      );
      const client = app.get(UsersService).client;
      expect(client).toBeInstanceOf(ToriiClient);
      expect(app.get(Other).client).toBe(client);
    },
  );

  it.each(variants)('%s: the secret key from TORII_SECRET_KEY', async (_, torii) => {
    vi.stubEnv('TORII_SECRET_KEY', 'sk_test_env');
    const { app } = await start(appModule(torii({ issuer: issuer.issuer }), [UsersService]));
    expect(app.get(UsersService).client).toBeInstanceOf(ToriiClient);
  });

  it.each(variants)(
    '%s: without a key, injecting it fails the start with the fix',
    async (_, torii) => {
      const error = await start(appModule(torii({ issuer: issuer.issuer }), [UsersService])).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ToriiConfigError);
      expect((error as Error).message).toMatch(
        /^torii: ToriiClient is injected, but it cannot be created: .*give secretKey in the options of ToriiModule\.forRoot\(\).*or set TORII_SECRET_KEY\.$/,
      );
    },
  );

  it.each(variants)(
    '%s: without a key, an app that does not inject it starts',
    async (_, torii) => {
      const { url } = await start(appModule(torii({ issuer: issuer.issuer })));
      expect((await get(url, '/health')).status).toBe(200);
    },
  );
});

describe('the startup check (onApplicationBootstrap) and logging', () => {
  it("a wrong issuer: one warning through Nest's logger (context Torii), and the app starts", async () => {
    const logger = memoryLogger();
    const wrong = await closedLoopbackUrl();
    const { url } = await start(appModule(ToriiModule.forRoot({ issuer: wrong })), logger);
    const torii = logger.lines.filter((l) => l.includes('torii:'));
    expect(torii).toEqual([
      expect.stringMatching(
        /^warn \[Torii\] torii: cannot fetch the issuer's key set from http:\/\/127\.0\.0\.1:\d+\/_torii\/\.well-known\/jwks\.json \(trigger: startup\)/,
      ),
    ]);
    const health = await get(url, '/health');
    expect(health.body).toMatchObject({
      ready: false,
      keys: { lastError: { message: expect.any(String) } },
    });
  });

  it("with startup: 'fail' the start fails", async () => {
    const torii = ToriiModule.forRoot({
      issuer: await closedLoopbackUrl(),
      startup: 'fail',
      logger: false,
    });
    await expect(start(appModule(torii))).rejects.toBeInstanceOf(ToriiAuthError);
  });

  it('debug lines go to the module logger (a ToriiLogger such as console works too)', async () => {
    const logger = memoryLogger();
    const { url } = await start(
      appModule(
        ToriiModule.forRoot({ issuer: issuer.issuer, globalGuard: true, debug: true, logger }),
      ),
    );
    expect((await get(url, '/me')).status).toBe(401);
    expect(logger.lines.filter((l) => l.includes('denied'))).toEqual([
      expect.stringMatching(/^debug \[\] torii: denied 401 token_missing: /),
    ]);
  });
});

describe('configuration', () => {
  it('a bare imports: [ToriiModule] (without forRoot) starts and checks nothing', async () => {
    @Module({ imports: [ToriiModule] })
    class Bare {}
    const { url } = await start(Bare);
    expect((await get(url, '/anything')).status).toBe(404);
  });

  it('reads the issuer from TORII_ISSUER', async () => {
    vi.stubEnv('TORII_ISSUER', issuer.issuer);
    const { url } = await start(appModule(ToriiModule.forRoot()));
    expect((await get(url, '/health')).body).toMatchObject({ issuer: issuer.issuer });
  });

  it('refuses a misspelt option, naming the module and the option meant', async () => {
    const torii = ToriiModule.forRoot({ issuer: issuer.issuer, secretkey: 'sk_x' } as never);
    const error = await start(appModule(torii)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToriiConfigError);
    expect((error as Error).message).toMatch(
      /^torii: ToriiModule\.forRoot\(\) got an unknown option "secretkey"; did you mean "secretKey"\?/,
    );
  });
});
