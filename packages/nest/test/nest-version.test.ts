/**
 * Which NestJS this run really loads. `packages/nest` runs its tests on Nest 11 and
 * `packages/nest-12` runs the same files on Nest 12 (through vitest aliases): each run names its
 * major and the folder whose `node_modules` hold it (`provide` in its vitest config), and this
 * checks that the tests and the library source alike got exactly those packages.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HttpException } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { describe, expect, inject, it } from 'vitest';
import { ToriiGuard } from '../src/torii.guard.js';
import { ToriiDeniedException } from '../src/torii-denied.exception.js';
import { PLATFORMS, startNest } from './platforms.js';

const NEST_PACKAGES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  '@nestjs/testing',
] as const;

const resolveFromRoot = createRequire(join(inject('nestRoot'), 'package.json')).resolve;

/** The package `name` as installed for this run: its version and its module, loaded by Node. */
async function installed(name: (typeof NEST_PACKAGES)[number]) {
  const entry = resolveFromRoot(name);
  const manifest = JSON.parse(readFileSync(join(dirname(entry), 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  expect(manifest.name).toBe(name);
  const module: Record<string, unknown> = await import(pathToFileURL(entry).href);
  return { version: manifest.version, module };
}

describe(`the NestJS under test (Nest ${inject('nestMajor')})`, () => {
  it.each(NEST_PACKAGES)('%s is installed in the major this run is for', async (name) => {
    const { version } = await installed(name);
    expect(Number(version.split('.')[0])).toBe(inject('nestMajor'));
  });

  it('the tests import those very packages', async () => {
    expect(HttpException).toBe((await installed('@nestjs/common')).module.HttpException);
    expect(Reflector).toBe((await installed('@nestjs/core')).module.Reflector);
    expect(ExpressAdapter).toBe(
      (await installed('@nestjs/platform-express')).module.ExpressAdapter,
    );
    expect(FastifyAdapter).toBe(
      (await installed('@nestjs/platform-fastify')).module.FastifyAdapter,
    );
    expect(Test).toBe((await installed('@nestjs/testing')).module.Test);
  });

  it('the library source imports them too', async () => {
    const common = (await installed('@nestjs/common')).module;
    const core = (await installed('@nestjs/core')).module;
    // ToriiDeniedException extends @nestjs/common's HttpException…
    expect(Object.getPrototypeOf(ToriiDeniedException)).toBe(common.HttpException);
    // …and ToriiGuard injects @nestjs/core's Reflector and HttpAdapterHost by class.
    const injected = new Map(
      (
        Reflect.getMetadata('self:paramtypes', ToriiGuard) as { index: number; param: unknown }[]
      ).map(({ index, param }) => [index, param]),
    );
    expect(injected.get(2)).toBe(core.Reflector);
    expect(injected.get(3)).toBe(core.HttpAdapterHost);
    expect(core.HttpAdapterHost).toBe(HttpAdapterHost);
  });

  it.each(PLATFORMS)('the %s platform runs on that Nest', async (platform) => {
    const adapter = platform === 'express' ? ExpressAdapter : FastifyAdapter;
    const running = await startNest(platform, class EmptyModule {});
    try {
      expect(running.app.getHttpAdapter()).toBeInstanceOf(adapter);
    } finally {
      await running.close();
    }
  });
});
