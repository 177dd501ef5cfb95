/**
 * The conformance routes as a Koa app, for any Koa major (the constructor is passed in).
 */
import { createServer } from 'node:http';
import {
  CONFORMANCE_COOKIE,
  type ConformanceApp,
  hookedAnswer,
  isAdmin,
  listenOnLoopback,
  userBody,
} from '@torii/conformance';
import type { VerifyOptions } from '@torii/core';
import type Koa from 'koa';
import type { Middleware, ParameterizedContext } from 'koa';
import { authorize, getAuth, optionalAuth, requireAuth } from '../src/index.js';

/** `GET path`, guarded by `guard` (then `check`, if given), answered by `handler` (a router in a few lines). */
function route<S>(
  path: string,
  guard: Middleware<S>,
  handler: (ctx: ParameterizedContext<S>) => void,
  check?: Middleware<S>,
): Middleware<S> {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== path) return next();
    await guard(ctx, async () => {
      if (check) await check(ctx, async () => handler(ctx));
      else handler(ctx);
    });
  };
}

/** Builds the conformance routes on a `new KoaApp()` and serves them on 127.0.0.1. */
export function startKoaApp(KoaApp: typeof Koa, options: VerifyOptions): Promise<ConformanceApp> {
  const app = new KoaApp();
  app.use(
    route('/protected', requireAuth(options), (ctx) => {
      ctx.body = userBody(ctx.state.auth);
    }),
  );
  app.use(
    route('/optional', optionalAuth(options), (ctx) => {
      const { auth } = ctx.state;
      ctx.body = { auth: auth ? userBody(auth) : null };
    }),
  );
  app.use(
    route('/admin', requireAuth({ ...options, authorize: isAdmin }), (ctx) => {
      ctx.body = { ok: true };
    }),
  );
  const hooked = requireAuth({
    ...options,
    onDenied: (denied, ctx) => {
      const answer = hookedAnswer(denied);
      ctx.status = answer.status;
      ctx.body = answer.body;
    },
  });
  app.use(
    route('/hooked', hooked, (ctx) => {
      ctx.body = userBody(ctx.state.auth);
    }),
  );
  const fromCookie = requireAuth({
    ...options,
    getToken: (ctx) => ctx.cookies.get(CONFORMANCE_COOKIE),
  });
  app.use(
    route('/cookie', fromCookie, (ctx) => {
      ctx.body = userBody(ctx.state.auth);
    }),
  );
  const ok = (ctx: ParameterizedContext) => {
    ctx.body = { ok: getAuth(ctx).userId.length > 0 };
  };
  app.use(route('/checked', requireAuth(options), ok, authorize(isAdmin)));
  app.use(route('/optional-checked', optionalAuth(options), ok, authorize(isAdmin)));
  return listenOnLoopback(createServer(app.callback()));
}
