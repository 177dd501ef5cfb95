import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createTestIssuer } from '@torii/testing';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

const built = new URL('../dist/index.cjs', import.meta.url);
const require = createRequire(import.meta.url);

// Checks the built CommonJS file, so it needs `pnpm build` first (turbo runs it before `test`).
describe.skipIf(!existsSync(built))('CommonJS build (dist/index.cjs)', () => {
  it("require('@torii/fastify') is the plugin, with .default, .toriiAuth, .getAuth, .authorize", () => {
    const cjs = require(built.pathname);
    expect(typeof cjs).toBe('function');
    expect(cjs.default).toBe(cjs);
    expect(cjs.toriiAuth).toBe(cjs);
    expect(typeof cjs.getAuth).toBe('function');
    expect(typeof cjs.authorize).toBe('function');
    expect(typeof cjs.ToriiError).toBe('function');
  });

  it('the required plugin protects routes', async () => {
    const issuer = await createTestIssuer();
    const app = Fastify();
    try {
      await app.register(require(built.pathname), { issuer: issuer.issuer });
      app.get('/x', async (request) => ({ userId: request.auth?.userId }));
      const denied = await app.inject({ url: '/x' });
      expect(denied.statusCode).toBe(401);
      const token = await issuer.sign({ sub: 'user_cjs' });
      const ok = await app.inject({ url: '/x', headers: { authorization: `Bearer ${token}` } });
      expect(ok.json()).toEqual({ userId: 'user_cjs' });
    } finally {
      await app.close();
      await issuer.close();
    }
  });
});
