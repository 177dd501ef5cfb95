import { NO_TORII_AUTH_MESSAGE, ToriiConfigError, ToriiError } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getAuth, type ToriiFastifyOptions, toriiAuth } from './index.js';

let issuer: TestIssuer;
let app: FastifyInstance | undefined;

beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Listens on 127.0.0.1:0 and returns a `fetch` against it. */
async function serve(instance: FastifyInstance) {
  app = instance;
  const base = await instance.listen({ port: 0, host: '127.0.0.1' });
  return async (path: string, init: RequestInit = {}) => {
    const response = await fetch(new URL(path, base), init);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : null,
    };
  };
}

function bearer(token: string): RequestInit {
  return { headers: { authorization: `Bearer ${token}` } };
}

const me = async (request: Parameters<typeof getAuth>[0]) => ({
  auth: request.auth ? request.auth.userId : null,
});

describe('scope encapsulation', () => {
  it('protects only the scope it is registered in; sibling and parent routes stay public', async () => {
    const instance = Fastify();
    instance.get('/public', me);
    instance.register(async (scope) => {
      await scope.register(toriiAuth, { issuer: issuer.issuer });
      scope.get('/private', me);
      scope.register(async (child) => {
        child.get('/private/child', me);
      });
    });
    instance.register(async (sibling) => {
      sibling.get('/sibling', me);
    });
    const get = await serve(instance);

    expect(await get('/public')).toMatchObject({ status: 200, body: { auth: null } });
    expect(await get('/sibling')).toMatchObject({ status: 200, body: { auth: null } });
    const denied = await get('/private');
    expect(denied.status).toBe(401);
    expect(denied.body.error.code).toBe('authentication_failed');
    expect((await get('/private/child')).status).toBe(401);

    const token = await issuer.sign({ sub: 'user_1' });
    expect(await get('/private', bearer(token))).toMatchObject({
      status: 200,
      body: { auth: 'user_1' },
    });
    expect(await get('/private/child', bearer(token))).toMatchObject({ status: 200 });
    // A token sent to a public route is not verified there: no auth is attached.
    expect(await get('/public', bearer(token))).toMatchObject({ body: { auth: null } });
  });

  it('registered at the root, protects every route', async () => {
    const instance = Fastify();
    await instance.register(toriiAuth, { issuer: issuer.issuer });
    instance.get('/a', me);
    instance.register(async (scope) => {
      scope.get('/b', me);
    });
    const get = await serve(instance);
    expect((await get('/a')).status).toBe(401);
    expect((await get('/b')).status).toBe(401);
  });

  it('can be registered again in a child scope (optional at the root, required below)', async () => {
    const instance = Fastify();
    await instance.register(toriiAuth, { issuer: issuer.issuer, optional: true });
    instance.get('/feed', me);
    instance.register(async (scope) => {
      await scope.register(toriiAuth, { issuer: issuer.issuer });
      scope.get('/settings', me);
    });
    const get = await serve(instance);
    expect(await get('/feed')).toMatchObject({ status: 200, body: { auth: null } });
    expect((await get('/settings')).status).toBe(401);
    const token = await issuer.sign({ sub: 'user_2' });
    expect(await get('/settings', bearer(token))).toMatchObject({ body: { auth: 'user_2' } });
  });
});

describe('route config', () => {
  async function routes() {
    const instance = Fastify();
    instance.register(async (scope) => {
      await scope.register(toriiAuth, { issuer: issuer.issuer });
      scope.get('/open', { config: { torii: false } }, me);
      scope.get('/maybe', { config: { torii: { optional: true } } }, me);
      scope.get('/closed', me);
    });
    return serve(instance);
  }

  it('config.torii false opts a route out: no check, no auth, even with a bad token', async () => {
    const get = await routes();
    expect(await get('/open')).toMatchObject({ status: 200, body: { auth: null } });
    const expired = await issuer.sign({}, { expired: true });
    expect(await get('/open', bearer(expired))).toMatchObject({
      status: 200,
      body: { auth: null },
    });
    expect((await get('/closed')).status).toBe(401);
  });

  it('config.torii.optional attaches a valid user, lets no token through, rejects a bad token', async () => {
    const get = await routes();
    expect(await get('/maybe')).toMatchObject({ status: 200, body: { auth: null } });
    const token = await issuer.sign({ sub: 'user_3' });
    expect(await get('/maybe', bearer(token))).toMatchObject({
      status: 200,
      body: { auth: 'user_3' },
    });
    const tampered = await issuer.sign({}, { tampered: true });
    const res = await get('/maybe', bearer(tampered));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });
});

describe('hook', () => {
  async function withHook(hook: ToriiFastifyOptions['hook']) {
    const instance = Fastify();
    await instance.register(toriiAuth, {
      issuer: issuer.issuer,
      hook,
      // Only a preHandler sees the parsed body.
      authorize: (_auth, request) => (request.body as { team?: string } | undefined)?.team === 'a',
    });
    instance.post('/teams', async () => ({ ok: true }));
    return serve(instance);
  }
  const post = (body: string, token?: string): RequestInit => ({
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });

  it('onRequest (default) answers 401 before the body is parsed', async () => {
    const get = await withHook(undefined);
    expect((await get('/teams', post('{not json'))).status).toBe(401);
    const token = await issuer.sign();
    // The body is not parsed yet when authorize runs: 403.
    expect((await get('/teams', post('{"team":"a"}', token))).status).toBe(403);
  });

  it('preHandler runs after body parsing: authorize sees request.body', async () => {
    const get = await withHook('preHandler');
    expect((await get('/teams', post('{not json'))).status).toBe(400);
    const token = await issuer.sign();
    expect(await get('/teams', post('{"team":"a"}', token))).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    const forbidden = await get('/teams', post('{"team":"b"}', token));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('forbidden');
  });
});

describe('onDenied', () => {
  it('returning nothing lets torii send its answer (headers the hook set are kept)', async () => {
    const seen: number[] = [];
    const instance = Fastify();
    await instance.register(toriiAuth, {
      issuer: issuer.issuer,
      onDenied: (denied, request, reply) => {
        seen.push(denied.status);
        reply.header('x-request-id', request.id);
        return undefined;
      },
    });
    instance.get('/x', me);
    const get = await serve(instance);
    const res = await get('/x');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('authentication_failed');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(seen).toEqual([401]);
  });

  it('an async hook that sends its own answer replaces torii answer', async () => {
    const instance = Fastify();
    await instance.register(toriiAuth, {
      issuer: issuer.issuer,
      onDenied: async (denied, _request, reply) =>
        reply.code(denied.status).send({ message: 'please sign in' }),
    });
    instance.get('/x', me);
    const get = await serve(instance);
    const res = await get('/x');
    expect(res).toMatchObject({ status: 401, body: { message: 'please sign in' } });
  });
});

describe('options', () => {
  it.each<[string, ToriiFastifyOptions]>([
    ['a non-loopback http issuer', { issuer: 'http://acme.example.com' }],
    ['an issuer that is not a URL', { issuer: 'acme' }],
    ['an unknown hook', { issuer: 'https://acme.torii.so', hook: 'onSend' as 'onRequest' }],
  ])('%s fails at ready() with ToriiConfigError', async (_, options) => {
    const instance = Fastify();
    app = instance;
    instance.register(toriiAuth, options);
    await expect(instance.ready()).rejects.toBeInstanceOf(ToriiConfigError);
  });

  it('toriiAuth called like a factory (register(toriiAuth({ issuer }))) fails ready() saying to register it', async () => {
    const instance = Fastify();
    app = instance;
    const callPlugin = toriiAuth as unknown as (options: object) => never;
    instance.register(callPlugin({ issuer: issuer.issuer }));
    instance.get('/', async () => 'reached');
    const failure = await instance.ready().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ToriiConfigError);
    expect((failure as Error).message).toBe(
      'torii: toriiAuth is a Fastify plugin, not a function to call: register it with its options, `await app.register(toriiAuth, { issuer })`.',
    );
  });

  it('bad options in a child scope fail the whole app at ready()', async () => {
    const instance = Fastify();
    app = instance;
    instance.register(async (scope) => {
      await scope.register(toriiAuth, { issuer: 'ftp://acme.torii.so' });
    });
    await expect(instance.ready()).rejects.toThrow(/issuer/);
  });

  it('is named @torii/fastify so other plugins can depend on it', async () => {
    const instance = Fastify();
    app = instance;
    await instance.register(toriiAuth, { issuer: issuer.issuer });
    expect(instance.hasPlugin('@torii/fastify')).toBe(true);
    expect(instance.hasRequestDecorator('auth')).toBe(true);
  });
});

describe('getAuth', () => {
  it('returns the user on a required route and throws a clear error where there is none', async () => {
    const instance = Fastify();
    instance.get('/unprotected', async (request) => getAuth(request).userId);
    instance.register(async (scope) => {
      await scope.register(toriiAuth, { issuer: issuer.issuer });
      scope.get('/protected', async (request) => ({ auth: getAuth(request).userId }));
    });
    let thrown: unknown;
    instance.setErrorHandler((error, _request, reply) => {
      thrown = error;
      return reply.code(500).send({ failed: true });
    });
    const get = await serve(instance);
    const token = await issuer.sign({ sub: 'user_4' });
    expect(await get('/protected', bearer(token))).toMatchObject({ body: { auth: 'user_4' } });
    expect((await get('/unprotected')).status).toBe(500);
    expect(thrown).toBeInstanceOf(ToriiError);
    expect(thrown).not.toBeInstanceOf(ToriiConfigError);
    expect((thrown as Error).message).toBe(NO_TORII_AUTH_MESSAGE);
  });
});
