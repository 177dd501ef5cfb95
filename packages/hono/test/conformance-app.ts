/**
 * The conformance routes as a Hono app: served over `@hono/node-server` by the conformance suite
 * and driven in-process through `app.request` by the Hono-specific tests.
 */
import { CONFORMANCE_COOKIE, hookedAnswer, isAdmin, userBody } from '@torii/conformance';
import type { VerifyOptions } from '@torii/core';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { authorize, getAuth, optionalAuth, requireAuth } from '../src/index.js';

/** Builds the conformance routes, every guard from `options`. */
export function conformanceApp(options: VerifyOptions): Hono {
  const app = new Hono();
  app.get('/protected', requireAuth(options), (c) => c.json(userBody(c.get('auth'))));
  app.get('/optional', optionalAuth(options), (c) => {
    const auth = c.get('auth');
    return c.json({ auth: auth ? userBody(auth) : null });
  });
  app.get('/admin', requireAuth({ ...options, authorize: isAdmin }), (c) => c.json({ ok: true }));
  const hooked = requireAuth({
    ...options,
    onDenied: (denied, c) => {
      const answer = hookedAnswer(denied);
      return c.json(answer.body, answer.status);
    },
  });
  app.get('/hooked', hooked, (c) => c.json(userBody(c.get('auth'))));
  const fromCookie = requireAuth({ ...options, getToken: (c) => getCookie(c, CONFORMANCE_COOKIE) });
  app.get('/cookie', fromCookie, (c) => c.json(userBody(c.get('auth'))));
  // A group: one guard on a path pattern, the routes under it (the README's pattern).
  const api = new Hono()
    .use('/api/*', requireAuth(options))
    .get('/api/me', (c) => c.json(userBody(getAuth(c))));
  app.route('/', api);
  app.get('/checked', requireAuth(options), authorize(isAdmin), (c) => c.json({ ok: true }));
  app.get('/optional-checked', optionalAuth(options), authorize(isAdmin), (c) =>
    c.json({ ok: c.get('auth').userId.length > 0 }),
  );
  return app;
}
