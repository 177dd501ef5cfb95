/**
 * The conformance routes as a Koa app with `@koa/router`, for any Koa major (the constructor is
 * passed in), in the two patterns the README shows as safe.
 */
import { createServer } from 'node:http';
import Router from '@koa/router';
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
import type { ParameterizedContext } from 'koa';
import { authorize, getAuth, optionalAuth, requireAuth, type ToriiState } from '../src/index.js';

/** Builds the conformance routes on a `new KoaApp()` and serves them on 127.0.0.1. */
export function startKoaApp(KoaApp: typeof Koa, options: VerifyOptions): Promise<ConformanceApp> {
  const app = new KoaApp();
  // The guard in front of each handler: it runs whenever the handler does.
  const router = new Router();
  router.get('/protected', requireAuth(options), (ctx) => {
    ctx.body = userBody(ctx.state.auth);
  });
  router.get('/optional', optionalAuth(options), (ctx) => {
    const { auth } = ctx.state;
    ctx.body = { auth: auth ? userBody(auth) : null };
  });
  router.get('/admin', requireAuth({ ...options, authorize: isAdmin }), (ctx) => {
    ctx.body = { ok: true };
  });
  const hooked = requireAuth({
    ...options,
    onDenied: (denied, ctx) => {
      const answer = hookedAnswer(denied);
      ctx.status = answer.status;
      ctx.body = answer.body;
    },
  });
  router.get('/hooked', hooked, (ctx) => {
    ctx.body = userBody(ctx.state.auth);
  });
  const fromCookie = requireAuth({
    ...options,
    getToken: (ctx) => ctx.cookies.get(CONFORMANCE_COOKIE),
  });
  router.get('/cookie', fromCookie, (ctx) => {
    ctx.body = userBody(ctx.state.auth);
  });
  const ok = (ctx: ParameterizedContext) => {
    ctx.body = { ok: getAuth(ctx).userId.length > 0 };
  };
  router.get('/checked', requireAuth(options), authorize(isAdmin), ok);
  router.get('/optional-checked', optionalAuth(options), authorize(isAdmin), ok);
  app.use(router.routes());

  // A group: a prefix router whose `use()` guards every route in it. Safe only because the
  // router is case-sensitive (see the README's pitfall).
  const api = new Router<ToriiState>({ prefix: '/api', sensitive: true });
  api.use(requireAuth(options));
  api.get('/me', (ctx) => {
    ctx.body = userBody(ctx.state.auth);
  });
  app.use(api.routes());
  return listenOnLoopback(createServer(app.callback()));
}
