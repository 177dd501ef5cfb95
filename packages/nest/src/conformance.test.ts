import {
  applyDecorators,
  Controller,
  Get,
  HttpException,
  Module,
  type Type,
  UseGuards,
} from '@nestjs/common';
import {
  hookedAnswer,
  isAdmin,
  runConformanceSuite,
  type StartConformanceApp,
  tokenFromCookie,
  userBody,
} from '@torii/conformance';
import type { ToriiAuth } from '@torii/core';
import { PLATFORMS, type Platform, startNest } from '../test/platforms.js';
import { Auth, Authorize, OptionalAuth } from './decorators.js';
import type { ToriiModuleOptions } from './options.js';
import { ToriiGuard } from './torii.guard.js';
import { ToriiModule } from './torii.module.js';

/**
 * One feature module per route: each imports ToriiModule with that route's options, its controller
 * (at the first segment of `path`, guarded as a whole) serves `GET path`, and the handler gets the
 * route's own decorators (`@OptionalAuth()`, `@Authorize()`).
 */
function feature(
  path: string,
  options: ToriiModuleOptions,
  body: (auth: ToriiAuth | null) => unknown,
  ...decorators: MethodDecorator[]
): Type {
  const [controllerPath = '', route = ''] = path.split('/');
  @UseGuards(ToriiGuard)
  @Controller(controllerPath)
  class RouteController {
    @applyDecorators(...decorators)
    @Get(route)
    handle(@Auth() auth: ToriiAuth | null) {
      return body(auth);
    }
  }
  @Module({ imports: [ToriiModule.forRoot(options)], controllers: [RouteController] })
  class FeatureModule {}
  return FeatureModule;
}

const start =
  (platform: Platform): StartConformanceApp =>
  async (options) => {
    const user = (auth: ToriiAuth | null) => userBody(auth!);
    @Module({
      imports: [
        feature('protected', options, user),
        feature(
          'optional',
          options,
          (auth) => ({ auth: auth ? userBody(auth) : null }),
          OptionalAuth(),
        ),
        feature('admin', { ...options, authorize: isAdmin }, () => ({ ok: true })),
        feature(
          'hooked',
          {
            ...options,
            exceptionFactory: (denied) => {
              const { status, body } = hookedAnswer(denied);
              return new HttpException(body, status);
            },
          },
          user,
        ),
        feature(
          'cookie',
          { ...options, getToken: (request) => tokenFromCookie(request.headers.cookie) },
          user,
        ),
        // A group: the controller `api` guarded as a whole, its route `me`.
        feature('api/me', options, user),
        feature('checked', options, () => ({ ok: true }), Authorize(isAdmin)),
        feature(
          'optional-checked',
          options,
          (auth) => ({ ok: auth !== null }),
          OptionalAuth(),
          Authorize(isAdmin),
        ),
      ],
    })
    class ConformanceModule {}
    return startNest(platform, ConformanceModule);
  };

for (const platform of PLATFORMS) runConformanceSuite(`nest (${platform})`, start(platform));
