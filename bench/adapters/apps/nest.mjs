// NestJS 11 on @nestjs/platform-express: a controller with no guard, an empty global guard in
// torii's place, ToriiModule with its global ToriiGuard, and the Express jose snippet as a global
// Nest guard. Decorators are applied as plain function calls (this file is JavaScript, run
// without a compiler).

import 'reflect-metadata';
import { Controller, Get, Module, UnauthorizedException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';

// Each variant's auth library is imported by that variant's process only, so a server loads what a
// real app of its kind would: a library loaded beside another can change how V8 compiles Node's own
// hot functions for the whole process (bench/instructions.mjs shows one such case).

export const peerName = 'jose snippet as a global Nest guard';

function controllerFor(path) {
  class BenchController {
    me() {
      return { ok: true };
    }
  }
  Controller()(BenchController);
  const method = Object.getOwnPropertyDescriptor(BenchController.prototype, 'me');
  Get(path.replace(/^\//, ''))(BenchController.prototype, 'me', method);
  return BenchController;
}

class JoseGuard {
  #verify;
  /** @param {(authorization: string | undefined) => Promise<object>} verify */
  constructor(verify) {
    this.#verify = verify;
  }
  async canActivate(context) {
    const request = context.switchToHttp().getRequest();
    try {
      request.auth = await this.#verify(request.headers.authorization);
    } catch {
      throw new UnauthorizedException();
    }
    return true;
  }
}

/** An empty global guard in torii's place: what one guard costs a request. */
class PassGuard {
  canActivate(context) {
    context.switchToHttp().getRequest().auth = null;
    return true;
  }
}

/** @returns {Promise<{ port: number, close(): Promise<void> }>} */
export async function start(variant, config) {
  const imports = [];
  if (variant === 'torii') {
    const { ToriiModule } = await import('@torii/nest');
    imports.push(ToriiModule.forRoot({ issuer: config.issuer, globalGuard: true }));
  } else if (!['bare', 'pass', 'peer'].includes(variant)) {
    throw new Error(`nest: unknown variant ${variant}`);
  }
  class AppModule {}
  Module({ imports, controllers: [controllerFor(config.path)] })(AppModule);
  const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
  if (variant === 'pass') app.useGlobalGuards(new PassGuard());
  if (variant === 'peer') {
    const { joseBearerVerifier } = await import('../jose-bearer.mjs');
    app.useGlobalGuards(new JoseGuard(joseBearerVerifier(config)));
  }
  await app.listen(0, '127.0.0.1');
  return { port: app.getHttpServer().address().port, close: () => app.close() };
}
