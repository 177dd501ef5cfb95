/**
 * NestJS 11 + `@torii/nest`: a health check that reports torii's status, the signed-in user, and
 * two admin routes that call the torii server API. Configured from env (`TORII_ISSUER`,
 * `TORII_SECRET_KEY`, `TORII_API_URL`, read by torii itself); `torii-dev` gives local values.
 * torii logs through Nest's Logger (context `Torii`); its startup check runs in
 * `onApplicationBootstrap`, before `listen` answers.
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
  ServiceUnavailableException,
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
  ToriiGuard,
  ToriiModule,
} from '@torii/nest';

const isAdmin = claimEquals('role', 'admin');

/** A torii API error (unknown user, bad secret key) becomes a JSON answer instead of a 500. */
function apiError(err: unknown): never {
  if (!(err instanceof ToriiApiError)) throw err;
  const body = { error: { code: 'torii_api_error', status: err.status, message: err.message } };
  throw new HttpException(body, err.status === 404 ? 404 : 502);
}

@Controller()
class AppController {
  constructor(@Inject(ToriiGuard) private readonly torii: ToriiGuard) {}

  // Public, and reports the verifier: 503 until the issuer's keys are loaded.
  @Public()
  @Get('health')
  health() {
    const status = this.torii.status();
    if (!status.ready) throw new ServiceUnavailableException({ ok: false, torii: status });
    return { ok: true, torii: status };
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
// The issuer, the secret key and the API URL come from TORII_ISSUER, TORII_SECRET_KEY, TORII_API_URL.
@Module({
  imports: [ToriiModule.forRoot({ globalGuard: true })],
  controllers: [AppController, AdminController],
})
class AppModule {}

// Warnings by default (a key set that cannot be fetched); every denial with TORII_DEBUG=1.
const app = await NestFactory.create(AppModule, {
  logger: process.env.TORII_DEBUG ? ['error', 'warn', 'debug'] : ['error', 'warn'],
});
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
console.log(`listening on ${await app.getUrl()}`);
