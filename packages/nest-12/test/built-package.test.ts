/**
 * The built `@torii/nest` (what npm users install) on NestJS 12, which is ESM-only: a scratch app
 * folder gets a copy of `packages/nest`'s `package.json` and `dist`, and links to the Nest 12
 * packages installed here; a CommonJS app (`require`, through Node's require(esm)) and an ES module
 * app (`import`) then each serve real requests on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
const packages = join(here, '..');
let app: string;

/** Links `node_modules/<name>` of the scratch app to the real folder of `from`. */
async function link(name: string, from: string): Promise<void> {
  await mkdir(join(app, 'node_modules', name, '..'), { recursive: true });
  await symlink(await realpath(from), join(app, 'node_modules', name), 'dir');
}

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'torii-nest-12-'));
  for (const name of ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express']) {
    await link(name, join(here, 'node_modules', name));
  }
  for (const name of ['reflect-metadata', 'rxjs'])
    await link(name, join(here, 'node_modules', name));
  await link('@torii/core', join(packages, 'core'));
  await link('@torii/testing', join(packages, 'testing'));
  // A copy, not a link: its `@nestjs/*` imports must resolve from the scratch app's node_modules.
  const toriiNest = join(app, 'node_modules', '@torii', 'nest');
  await cp(join(packages, 'nest', 'package.json'), join(toriiNest, 'package.json'));
  await cp(join(packages, 'nest', 'dist'), join(toriiNest, 'dist'), { recursive: true });
  await cp(join(here, 'test', 'fixtures'), app, { recursive: true });
});
afterAll(async () => {
  await rm(app, { recursive: true, force: true });
});

const answers = {
  none: {
    status: 401,
    wwwAuthenticate: 'Bearer',
    body: { error: { code: 'authentication_failed', message: expect.any(String) } },
  },
  valid: { status: 200, wwwAuthenticate: null, body: { userId: 'user_consumer' } },
  optionalWithout: { status: 200, wwwAuthenticate: null, body: { auth: null } },
  optionalWith: { status: 200, wwwAuthenticate: null, body: { auth: 'user_consumer' } },
  forbidden: {
    status: 403,
    wwwAuthenticate: null,
    body: { error: { code: 'forbidden', message: expect.any(String) } },
  },
  allowed: { status: 200, wwwAuthenticate: null, body: { ok: true } },
};

describe('the built @torii/nest on NestJS 12', () => {
  it.each([
    ['require() (CommonJS, through require(esm))', 'consumer-app.cjs', 'index.cjs'],
    ['import (ESM)', 'consumer-app.mjs', 'index.js'],
  ])(
    'an app that loads it with %s serves torii’s answers',
    async (_, entry, distFile) => {
      const { stdout } = await promisify(execFile)(process.execPath, [entry], { cwd: app });
      const result = JSON.parse(stdout);
      expect(result.nestVersion).toMatch(/^12\./);
      expect(result.toriiNestFile).toBe(
        join(await realpath(app), 'node_modules', '@torii', 'nest', 'dist', distFile),
      );
      expect(result.answers).toStrictEqual(answers);
    },
    60_000,
  ); // two Node processes start Nest and verify tokens: slow on a loaded machine
});
