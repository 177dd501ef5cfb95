import { countSignatureChecks, get, isAdmin } from '@torii/conformance';
import { FORBIDDEN_MESSAGE, NO_SIGNED_IN_USER_MESSAGE, NO_TORII_AUTH_MESSAGE } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  allOf,
  authorize,
  emailVerified,
  getAuth,
  notImpersonating,
  ToriiConfigError,
  toriiAuth,
} from './index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

const FORBIDDEN = { error: { code: 'forbidden', message: FORBIDDEN_MESSAGE } };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Listens on loopback until the test ends; errors answer 500 `{ error: name, message }`. */
async function serve(app: FastifyInstance): Promise<string> {
  app.setErrorHandler((err: Error, _request, reply) =>
    reply.code(500).send({ error: err.name, message: err.message }),
  );
  onTestFinished(() => app.close());
  return app.listen({ port: 0, host: '127.0.0.1' });
}

describe('config: { torii: { authorize } }', () => {
  it('checks the user in the scope’s hook: core’s 403, 200, and 401 without a token', async () => {
    const check = vi.fn(isAdmin);
    const app = Fastify();
    app.register(async (api) => {
      await api.register(toriiAuth, { issuer: issuer.issuer });
      api.get('/admin', { config: { torii: { authorize: check } } }, async (request) => ({
        userId: getAuth(request).userId,
      }));
      api.get('/me', async (request) => ({ userId: getAuth(request).userId }));
    });
    const url = await serve(app);
    const member = await issuer.sign({ sub: 'user_m', role: 'member' });
    const denied = await get(url, '/admin', bearer(member));
    expect(denied.status).toBe(403);
    expect(denied.body).toStrictEqual(FORBIDDEN);
    expect(denied.headers.get('www-authenticate')).toBeNull();
    expect((await get(url, '/me', bearer(member))).body).toStrictEqual({ userId: 'user_m' });
    const admin = await issuer.sign({ sub: 'user_a', role: 'admin' });
    expect((await get(url, '/admin', bearer(admin))).body).toStrictEqual({ userId: 'user_a' });
    expect((await get(url, '/admin')).status).toBe(401);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('on an optional route, a request without a token is a 401 (a check needs a user)', async () => {
    const check = vi.fn(() => true);
    const app = Fastify();
    await app.register(toriiAuth, { issuer: issuer.issuer, optional: true });
    app.get('/x', { config: { torii: { authorize: check } } }, async () => ({ ok: true }));
    app.get('/feed', async (request) => ({ auth: getAuth(request, { optional: true }) }));
    const url = await serve(app);
    const res = await get(url, '/x');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(check).not.toHaveBeenCalled();
    expect((await get(url, '/feed')).body).toStrictEqual({ auth: null });
  });

  it('answers through the plugin’s onDenied', async () => {
    const app = Fastify();
    await app.register(toriiAuth, {
      issuer: issuer.issuer,
      onDenied: (denied, _request, reply) =>
        reply.code(denied.status).send({ custom: denied.status }),
    });
    app.get('/x', { config: { torii: { authorize: isAdmin } } }, async () => ({ ok: true }));
    app.get('/y', { preHandler: authorize(isAdmin) }, async () => ({ ok: true }));
    const url = await serve(app);
    const member = bearer(await issuer.sign({ role: 'member' }));
    expect(await get(url, '/x', member)).toMatchObject({ status: 403, body: { custom: 403 } });
    expect(await get(url, '/y', member)).toMatchObject({ status: 403, body: { custom: 403 } });
  });

  it.each([
    ['true', true],
    ['a check that is a string', { authorize: 'admin' }],
    ['optional that is a string', { optional: 'yes' }],
    ['an unknown key', { authorise: isAdmin }],
  ])('a route config of %s fails at ready() with ToriiConfigError', async (_, torii) => {
    const app = Fastify();
    onTestFinished(() => app.close());
    app.register(async (api) => {
      await api.register(toriiAuth, { issuer: issuer.issuer });
      api.get('/x', { config: { torii: torii as never } }, async () => 'x');
    });
    await expect(app.ready()).rejects.toBeInstanceOf(ToriiConfigError);
  });

  it.each([
    ['true', true],
    ['a check that is a string', { authorize: 'admin' }],
    ['optional that is a string', { optional: 'yes' }],
    ['a misspelt key', { optinal: true }],
  ])(
    'a route declared before the plugin loaded, with a config of %s, answers 500 (ToriiConfigError) and never runs',
    async (_, torii) => {
      // onRoute does not see this route (it was added before the plugin ran), but the scope's hook
      // runs on it: the hook checks the config on the route's first request instead.
      const handler = vi.fn(async () => 'x');
      const errors: Error[] = [];
      const app = Fastify();
      app.addHook('onError', async (_request, _reply, error) => {
        errors.push(error);
      });
      app.get('/x', { config: { torii: torii as never } }, handler);
      app.get('/open', { config: { torii: false } }, async () => 'open');
      await app.register(toriiAuth, { issuer: issuer.issuer });
      const url = await serve(app);
      const token = bearer(await issuer.sign({ role: 'admin' }));
      for (const headers of [{}, token, token]) {
        const res = await get(url, '/x', headers);
        expect(res.status).toBe(500);
        // Fastify's own error handler: the route was declared before serve() set the test's.
        expect(res.body).toStrictEqual({
          statusCode: 500,
          error: 'Internal Server Error',
          message: expect.stringMatching(
            /^torii: route GET \/x: config\.torii must be false or \{/,
          ),
        });
      }
      expect(errors).toHaveLength(3);
      for (const error of errors) expect(error).toBeInstanceOf(ToriiConfigError);
      expect(handler).not.toHaveBeenCalled();
      expect((await get(url, '/open')).body).toBe('open');
    },
  );

  it('a valid config on a route declared before the plugin loaded applies', async () => {
    const app = Fastify();
    app.get('/admin', { config: { torii: { authorize: isAdmin } } }, async () => ({ ok: true }));
    app.get('/feed', { config: { torii: { optional: true } } }, async (request) => ({
      auth: getAuth(request, { optional: true })?.userId ?? null,
    }));
    await app.register(toriiAuth, { issuer: issuer.issuer });
    const url = await serve(app);
    const member = bearer(await issuer.sign({ role: 'member' }));
    const admin = bearer(await issuer.sign({ role: 'admin' }));
    expect(await get(url, '/admin', member)).toMatchObject({ status: 403, body: FORBIDDEN });
    expect(await get(url, '/admin', admin)).toMatchObject({ status: 200, body: { ok: true } });
    expect(await get(url, '/feed')).toMatchObject({ status: 200, body: { auth: null } });
  });
});

describe('preHandler: authorize(check)', () => {
  it('runs after the scope’s hook and composes ready-made checks', async () => {
    const app = Fastify();
    await app.register(toriiAuth, { issuer: issuer.issuer });
    app.get(
      '/orgs/:org',
      {
        preHandler: authorize(
          async (auth, request) => auth.raw.org === (request.params as { org: string }).org,
        ),
      },
      async () => ({ ok: true }),
    );
    app.get(
      '/account',
      { preHandler: authorize(allOf(emailVerified, notImpersonating)) },
      async () => ({ ok: true }),
    );
    const url = await serve(app);
    const acme = bearer(await issuer.sign({ org: 'acme', email_verified: true }));
    expect((await get(url, '/orgs/acme', acme)).status).toBe(200);
    expect((await get(url, '/orgs/other', acme)).body).toStrictEqual(FORBIDDEN);
    expect((await get(url, '/account', acme)).status).toBe(200);
    const acting = bearer(await issuer.sign({ email_verified: true, impersonating: true }));
    expect((await get(url, '/account', acting)).status).toBe(403);
  });

  it('also after a torii hook on preHandler', async () => {
    const app = Fastify();
    await app.register(toriiAuth, { issuer: issuer.issuer, hook: 'preHandler' });
    app.get('/x', { preHandler: authorize(isAdmin) }, async () => ({ ok: true }));
    const url = await serve(app);
    expect((await get(url, '/x', bearer(await issuer.sign({ role: 'admin' })))).status).toBe(200);
    expect((await get(url, '/x', bearer(await issuer.sign()))).status).toBe(403);
  });

  it('where torii did not run: the ToriiError naming the fix, never the handler', async () => {
    const check = vi.fn(() => true);
    const handler = vi.fn(async () => 'reached');
    const app = Fastify();
    app.get('/outside', { preHandler: authorize(check) }, handler);
    app.register(async (api) => {
      await api.register(toriiAuth, { issuer: issuer.issuer });
      api.get('/opted-out', { config: { torii: false }, preHandler: authorize(check) }, handler);
    });
    const url = await serve(app);
    const token = bearer(await issuer.sign({ role: 'admin' }));
    for (const path of ['/outside', '/opted-out']) {
      expect(await get(url, path, token)).toMatchObject({
        status: 500,
        body: { error: 'ToriiError', message: NO_TORII_AUTH_MESSAGE },
      });
    }
    expect(check).not.toHaveBeenCalled();
    expect(handler).not.toHaveBeenCalled();
  });

  it('an error thrown by the check goes to the error handler', async () => {
    const app = Fastify();
    await app.register(toriiAuth, { issuer: issuer.issuer });
    const boom = authorize(() => {
      throw new Error('policy store is down');
    });
    app.get('/x', { preHandler: boom }, async () => 'x');
    const url = await serve(app);
    expect(await get(url, '/x', bearer(await issuer.sign()))).toMatchObject({
      status: 500,
      body: { message: 'policy store is down' },
    });
  });

  it('given something that is not a check: ToriiConfigError at startup', () => {
    expect(() => authorize('admin' as never)).toThrow(ToriiConfigError);
  });
});

describe('each request’s token is verified once', () => {
  it('one signature check for route config and route hook; a nested second plugin costs two', async () => {
    const options = { issuer: issuer.issuer, tokenCache: false as const };
    const app = Fastify();
    app.register(async (api) => {
      await api.register(toriiAuth, options);
      api.get('/config', { config: { torii: { authorize: isAdmin } } }, async () => 'ok');
      api.get('/hook', { preHandler: authorize(isAdmin) }, async () => 'ok');
      // the pattern the route checks replace: a second plugin in a child scope
      api.register(async (admin) => {
        await admin.register(toriiAuth, { ...options, authorize: isAdmin });
        admin.get('/nested', async () => 'ok');
      });
    });
    const url = await serve(app);
    const token = bearer(await issuer.sign({ role: 'admin' }));
    await get(url, '/config', token); // keys fetched before counting
    const counter = countSignatureChecks();
    onTestFinished(() => counter.stop());
    for (const path of ['/config', '/hook']) {
      counter.reset();
      expect((await get(url, path, token)).status).toBe(200);
      expect(counter.count).toBe(1);
    }
    counter.reset();
    expect((await get(url, '/nested', token)).status).toBe(200);
    expect(counter.count).toBe(2);
  });
});

describe('getAuth(request)', () => {
  it('a route opted out with torii: false has no auth: the shared ToriiError', async () => {
    const app = Fastify();
    await app.register(toriiAuth, { issuer: issuer.issuer, optional: true });
    app.get('/open', { config: { torii: false } }, async (request) => ({
      auth: request.auth === undefined ? 'undefined' : request.auth,
      read: getAuth(request, { optional: true }),
    }));
    app.get('/strict', async (request) => getAuth(request));
    const url = await serve(app);
    expect(await get(url, '/open')).toMatchObject({
      status: 500,
      body: { error: 'ToriiError', message: NO_TORII_AUTH_MESSAGE },
    });
    expect(await get(url, '/strict')).toMatchObject({
      status: 500,
      body: { error: 'ToriiError', message: NO_SIGNED_IN_USER_MESSAGE },
    });
  });
});
