/**
 * `@torii/koa` behind `@koa/router`: which ways of putting `requireAuth()` in front of routes hold
 * for every spelling of a path, and the one that does not (the README's pitfall), by attack.
 */
import { createServer } from 'node:http';
import Router from '@koa/router';
import { getRaw, listenOnLoopback, pathVariants } from '@torii/conformance';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import Koa from 'koa';
import Koa2 from 'koa2';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { requireAuth, type ToriiState } from './index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

/** What `/api/me` answers once it runs: the handler never reads `auth` blindly, so a leak is a 200. */
const SECRET = 'handler-ran';
const handler = (ctx: Koa.ParameterizedContext<Partial<ToriiState>>) => {
  ctx.body = { [SECRET]: true, userId: ctx.state.auth?.userId ?? null };
};

/** Builds an app that serves `GET /api/me` behind `requireAuth` in one way. */
type Pattern = (app: Koa, guard: Koa.Middleware<ToriiState>) => void;

/** The ways the README shows: each must hold for every spelling. */
const SAFE: ReadonlyArray<[string, Pattern]> = [
  [
    'requireAuth in front of the handler: api.get("/me", requireAuth(…), handler)',
    (app, guard) => {
      const api = new Router({ prefix: '/api' });
      api.get('/me', guard, handler);
      app.use(api.routes());
    },
  ],
  [
    'app.use(requireAuth(…)) before the router',
    (app, guard) => {
      app.use(guard);
      const api = new Router({ prefix: '/api' });
      api.get('/me', handler);
      app.use(api.routes());
    },
  ],
  [
    'a case-sensitive prefix router: new Router({ prefix, sensitive: true }), api.use(requireAuth(…))',
    (app, guard) => {
      const api = new Router<ToriiState>({ prefix: '/api', sensitive: true });
      api.use(guard);
      api.get('/me', handler);
      app.use(api.routes());
    },
  ],
  [
    'a case-sensitive router mounted under a prefix: parent.use("/api", api.routes())',
    (app, guard) => {
      const api = new Router<ToriiState>({ sensitive: true });
      api.use(guard);
      api.get('/me', handler);
      const parent = new Router();
      parent.use('/api', api.routes());
      app.use(parent.routes());
    },
  ],
];

/** The pitfall: a router's `use()` bound to a prefix matches its case, its routes do not. */
const UNSAFE: ReadonlyArray<[string, Pattern]> = [
  [
    'new Router({ prefix: "/api" }), api.use(requireAuth(…))',
    (app, guard) => {
      const api = new Router<ToriiState>({ prefix: '/api' });
      api.use(guard);
      api.get('/me', handler);
      app.use(api.routes());
    },
  ],
  [
    'the same with strict: true (it is about trailing slashes, not case)',
    (app, guard) => {
      const api = new Router<ToriiState>({ prefix: '/api', strict: true });
      api.use(guard);
      api.get('/me', handler);
      app.use(api.routes());
    },
  ],
  [
    'a router mounted with parent.use("/api", api.routes()), api.use(requireAuth(…))',
    (app, guard) => {
      const api = new Router<ToriiState>();
      api.use(guard);
      api.get('/me', handler);
      const parent = new Router({ sensitive: true }); // the parent's option does not help
      parent.use('/api', api.routes());
      app.use(parent.routes());
    },
  ],
];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each([
  ['Koa 3', Koa],
  ['Koa 2', Koa2],
])('requireAuth behind @koa/router on %s', (_, KoaApp) => {
  async function serve(pattern: Pattern): Promise<string> {
    const app = new KoaApp();
    app.silent = true;
    pattern(app, requireAuth({ issuer: issuer.issuer }));
    const server = await listenOnLoopback(createServer(app.callback()));
    onTestFinished(() => server.close());
    return server.url;
  }

  it.each(SAFE)(
    '%s: every spelling of /api/me without a token is 401 or 404',
    async (_, pattern) => {
      const url = await serve(pattern);
      const token = await issuer.sign({ sub: 'user_router' });
      expect(await getRaw(url, '/api/me', bearer(token))).toMatchObject({
        status: 200,
        body: { [SECRET]: true, userId: 'user_router' },
      });
      const exact = await getRaw(url, '/api/me');
      expect(exact.status).toBe(401);
      expect(exact.body).toMatchObject({ error: { code: 'authentication_failed' } });

      const variants = pathVariants('/api/me');
      expect(variants).toEqual(
        expect.arrayContaining(['/API/me', '/Api/Me', '/api/%6De', '//api/me', '/api/me/']),
      );
      for (const target of variants) {
        const res = await getRaw(url, target);
        expect(res.text, target).not.toContain(SECRET);
        expect([401, 404], target).toContain(res.status);
        if (res.status === 401) {
          expect(res.body, target).toMatchObject({ error: { code: 'authentication_failed' } });
          expect(res.headers.get('www-authenticate'), target).toBe('Bearer');
        }
      }
    },
  );

  it.each(UNSAFE)('the pitfall, %s: /API/me and /Api/Me reach the handler', async (_, pattern) => {
    const url = await serve(pattern);
    expect((await getRaw(url, '/api/me')).status).toBe(401);
    for (const target of ['/API/me', '/Api/Me', '/aPi/mE']) {
      const res = await getRaw(url, target);
      expect(res.status, target).toBe(200);
      expect(res.body, target).toStrictEqual({ [SECRET]: true, userId: null });
    }
  });
});
