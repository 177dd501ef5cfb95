/**
 * The example's Express 5 app: a public health check, the signed-in user, and two admin routes
 * that call the torii server API. Built by {@link createApp}, so tests can run it against a local
 * issuer and the mock server API (`test/me.test.ts`); `main.ts` reads env and listens.
 *
 * @module
 */
import { ToriiClient } from '@torii/core';
import { authorize, claimEquals, getAuth, requireAuth, ToriiApiError } from '@torii/express';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';

/** What {@link createApp} needs. */
export interface AppOptions {
  /** The torii issuer whose tokens the app accepts (`https:`, or `http:` on loopback). */
  issuer: string;
  /** The torii server API secret key (`sk_…`) of the admin routes. */
  secretKey: string;
  /** The server API base URL. @default 'https://api.torii.so' */
  apiUrl?: string;
  /** The `fetch` of the server API client (a mock API's in-process `fetch`). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** The admin rule: a custom `role: "admin"` claim. */
const isAdmin = claimEquals('role', 'admin');

/**
 * Builds the app (without listening): `GET /health` is public, `GET /me` needs a signed-in user,
 * `GET /admin/users` and `POST /admin/users/:id/ban` need `role: "admin"` and call the server API.
 *
 * @example
 * ```ts
 * createApp({ issuer: 'https://acme.torii.so', secretKey: 'sk_live_…' }).listen(3000);
 * ```
 */
export function createApp({ issuer, secretKey, apiUrl, fetch }: AppOptions): Express {
  const torii = new ToriiClient({ secretKey, apiUrl, fetch });
  const signedIn = requireAuth({ issuer });
  // After signedIn: checks the user it set, without verifying the token again.
  const adminOnly = authorize(isAdmin);

  const app = express();

  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });

  app.get('/me', signedIn, (req, res) => {
    res.json(getAuth(req));
  });

  app.get('/admin/users', signedIn, adminOnly, async (_req, res) => {
    res.json(await torii.users.list({ limit: 20 }));
  });

  app.post(
    '/admin/users/:id/ban',
    signedIn,
    adminOnly,
    async (req: Request<{ id: string }>, res) => {
      res.json(await torii.users.ban(req.params.id));
    },
  );

  // A torii API error (unknown user, bad secret key) becomes a JSON answer instead of a 500 page.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof ToriiApiError)) return next(err);
    res
      .status(err.status === 404 ? 404 : 502)
      .json({ error: { code: 'torii_api_error', status: err.status, message: err.message } });
  });

  return app;
}
