/**
 * The conformance routes as an Express app, for any Express major (the factory is passed in).
 */
import { createServer } from 'node:http';
import {
  type ConformanceApp,
  hookedAnswer,
  isAdmin,
  listenOnLoopback,
  tokenFromCookie,
  userBody,
} from '@torii/conformance';
import type { VerifyOptions } from '@torii/core';
import type express from 'express';
import { authorize, getAuth, optionalAuth, requireAuth } from '../src/index.js';

/** Builds the conformance routes with `createApp` and serves them on 127.0.0.1. */
export function startExpressApp(
  createApp: typeof express,
  options: VerifyOptions,
): Promise<ConformanceApp> {
  const app = createApp();
  app.get('/protected', requireAuth(options), (req, res) => {
    res.json(userBody(getAuth(req)));
  });
  app.get('/optional', optionalAuth(options), (req, res) => {
    const auth = getAuth(req, { optional: true });
    res.json({ auth: auth ? userBody(auth) : null });
  });
  app.get('/admin', requireAuth({ ...options, authorize: isAdmin }), (_req, res) => {
    res.json({ ok: true });
  });
  const hooked = requireAuth({
    ...options,
    onDenied: (denied, _req, res) => {
      const answer = hookedAnswer(denied);
      res.status(answer.status).json(answer.body);
    },
  });
  app.get('/hooked', hooked, (req, res) => {
    res.json(userBody(getAuth(req)));
  });
  const fromCookie = requireAuth({
    ...options,
    getToken: (req) => tokenFromCookie(req.headers.cookie),
  });
  app.get('/cookie', fromCookie, (req, res) => {
    res.json(userBody(getAuth(req)));
  });
  // A group: one guard mounted on the path prefix, the routes after it (the README's pattern).
  app.use('/api', requireAuth(options));
  app.get('/api/me', (req, res) => {
    res.json(userBody(getAuth(req)));
  });
  app.get('/checked', requireAuth(options), authorize(isAdmin), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/optional-checked', optionalAuth(options), authorize(isAdmin), (_req, res) => {
    res.json({ ok: true });
  });
  return listenOnLoopback(createServer(app));
}
