import {
  hookedAnswer,
  isAdmin,
  runConformanceSuite,
  type StartConformanceApp,
  tokenFromCookie,
  userBody,
} from '@torii/conformance';
import Fastify from 'fastify';
import { authorize, getAuth, toriiAuth } from './index.js';

const start: StartConformanceApp = async (options) => {
  const app = Fastify();
  app.register(async (scope) => {
    await scope.register(toriiAuth, options);
    scope.get('/protected', async (request) => userBody(getAuth(request)));
  });
  app.register(async (scope) => {
    await scope.register(toriiAuth, { ...options, optional: true });
    scope.get('/optional', async (request) => ({
      auth: request.auth ? userBody(request.auth) : null,
    }));
  });
  app.register(async (scope) => {
    await scope.register(toriiAuth, { ...options, authorize: isAdmin });
    scope.get('/admin', async () => ({ ok: true }));
  });
  app.register(async (scope) => {
    await scope.register(toriiAuth, {
      ...options,
      onDenied: (denied, _request, reply) => {
        const { status, body } = hookedAnswer(denied);
        return reply.code(status).send(body);
      },
    });
    scope.get('/hooked', async (request) => userBody(getAuth(request)));
  });
  app.register(async (scope) => {
    await scope.register(toriiAuth, {
      ...options,
      getToken: (request) => tokenFromCookie(request.headers.cookie),
    });
    scope.get('/cookie', async (request) => userBody(getAuth(request)));
  });
  // A group: a prefixed scope whose every route the plugin guards.
  app.register(
    async (scope) => {
      await scope.register(toriiAuth, options);
      scope.get('/me', async (request) => userBody(getAuth(request)));
    },
    { prefix: '/api' },
  );
  app.register(async (scope) => {
    await scope.register(toriiAuth, options);
    // the check runs in the scope's torii hook, right after the token is verified
    scope.get('/checked', { config: { torii: { authorize: isAdmin } } }, async () => ({
      ok: true,
    }));
  });
  app.register(async (scope) => {
    await scope.register(toriiAuth, { ...options, optional: true });
    // the check as a route hook, after the scope's torii hook
    scope.get('/optional-checked', { preHandler: authorize(isAdmin) }, async (request) => ({
      ok: getAuth(request).userId.length > 0,
    }));
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
};

runConformanceSuite('fastify', start);
