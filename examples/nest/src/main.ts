/**
 * NestJS 11 + `@torii/nest`: a public health check, the signed-in user, and two admin routes that
 * call the torii server API. Configured from env; `torii-dev` gives local values.
 * Every injection names its token (`@Inject`), so it runs under tsx without decorator metadata.
 */
import 'reflect-metadata';
import {
  Controller,
  Get,
  HttpCode,
  HttpException,
  Inject,
  Module,
  Param,
  Post,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Auth,
  Authorize,
  claimEquals,
  Public,
  ToriiApiError,
  type ToriiAuth,
  ToriiClient,
  ToriiModule,
} from '@torii/nest';

const { TORII_ISSUER: issuer, TORII_SECRET_KEY: secretKey, TORII_API_URL: apiUrl } = process.env;
if (!issuer || !secretKey) {
  console.error(
    'example-nest: set TORII_ISSUER and TORII_SECRET_KEY (and TORII_API_URL for a local API).\n' +
      'For a local torii, run `npx pnpm@12.4.2 exec torii-dev --seed` in another terminal, then the\n' +
      '`export TORII_ISSUER=… TORII_API_URL=… TORII_SECRET_KEY=…` line it prints, here.',
  );
  process.exit(1);
}

const isAdmin = claimEquals('role', 'admin');

/** A torii API error (unknown user, bad secret key) becomes a JSON answer instead of a 500. */
function apiError(err: unknown): never {
  if (!(err instanceof ToriiApiError)) throw err;
  const body = { error: { code: 'torii_api_error', status: err.status, message: err.message } };
  throw new HttpException(body, err.status === 404 ? 404 : 502);
}

@Controller()
class AppController {
  @Public()
  @Get('health')
  health() {
    return { ok: true };
  }

  @Get('me')
  me(@Auth() auth: ToriiAuth) {
    return auth;
  }
}

@Authorize(isAdmin) // signed in is not enough here: 403 unless the token has `role: "admin"`
@Controller('admin/users')
class AdminController {
  constructor(@Inject(ToriiClient) private readonly torii: ToriiClient) {}

  @Get()
  list() {
    return this.torii.users.list({ limit: 20 }).catch(apiError);
  }

  @Post(':id/ban')
  @HttpCode(200)
  ban(@Param('id') id: string) {
    return this.torii.users.ban(id).catch(apiError);
  }
}

// Every route needs a signed-in user unless it is `@Public()`; `@Authorize()` adds per-route rules.
@Module({
  imports: [
    ToriiModule.forRoot({
      issuer,
      globalGuard: true,
      secretKey,
      client: { apiUrl: apiUrl || undefined },
    }),
  ],
  controllers: [AppController, AdminController],
})
class AppModule {}

const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
console.log(`listening on ${await app.getUrl()}`);
