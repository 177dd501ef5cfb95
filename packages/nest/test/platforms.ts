/**
 * Test helper: starts a Nest application of a module on either HTTP platform, on 127.0.0.1:0,
 * for a whole suite ({@link startNest}) or for one test ({@link startForTest}).
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { INestApplication, Type } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { onTestFinished } from 'vitest';

export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface RunningApp {
  url: string;
  app: INestApplication;
  close(): Promise<void>;
}

/** Compiles `module`, starts it on `platform` and listens on a free loopback port. */
export async function startNest(platform: Platform, module: Type): Promise<RunningApp> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication(
    platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, app, close: () => app.close() };
}

/**
 * {@link startNest} inside a test: the app is closed when that test ends, passed or failed. A
 * module that fails to start leaves nothing to close.
 *
 * @example
 * ```ts
 * it('answers', async () => {
 *   const { url } = await startForTest('express', AppModule);
 * });
 * ```
 */
export async function startForTest(platform: Platform, module: Type): Promise<RunningApp> {
  const running = await startNest(platform, module);
  onTestFinished(() => running.close());
  return running;
}

/** `GET url + path`, body parsed as JSON. */
export async function get(base: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, base), { headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : null,
  };
}

/** The `Authorization: Bearer <token>` header, for {@link get}. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
