/**
 * The example's Express 5 app: a health check that reports torii's status, the signed-in user,
 * and two admin routes that call the torii server API. Built by {@link createApp}, so tests can
 * run it against a local issuer and the mock server API (`test/me.test.ts`); `main.ts` reads env,
 * runs the startup check and listens.
 *
 * @module
 */
import { ToriiClient, type ToriiTelemetry } from '@torii/core';
import {
  authorize,
  claimEquals,
  getAuth,
  requireAuth,
  ToriiApiError,
  type ToriiRequestHandler,
} from '@torii/express';
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
  /** OpenTelemetry tracer and meter for torii's spans and counters. @default none */
  telemetry?: ToriiTelemetry;
}

/** The app, and the torii middleware whose `ready()` is the startup check. */
export interface ExampleApp {
  app: Express;
  auth: ToriiRequestHandler;
}

/** The admin rule: a custom `role: "admin"` claim. */
const isAdmin = claimEquals('role', 'admin');

/**
 * Builds the app (without listening): `GET /health` is public and answers torii's status (503
 * while the issuer's keys cannot be had), `GET /me` needs a signed-in user, `GET /admin/users` and
 * `POST /admin/users/:id/ban` need `role: "admin"` and call the server API.
 *
 * @example
 * ```ts
 * const { app, auth } = createApp({ issuer: 'https://acme.torii.so', secretKey: 'sk_live_…' });
 * await auth.ready();
 * app.listen(3000);
 * ```
 */
export function createApp({ issuer, secretKey, apiUrl, fetch, telemetry }: AppOptions): ExampleApp {
  const torii = new ToriiClient({ secretKey, apiUrl, fetch, telemetry });
  const signedIn = requireAuth({ issuer, telemetry });
  // After signedIn: checks the user it set, without verifying the token again.
  const adminOnly = authorize(isAdmin);

  const app = express();

  app.get('/health', (_req, res) => {
    const status = signedIn.status();
    res.status(status.ready ? 200 : 503).json({ ok: status.ready, torii: status });
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

  return { app, auth: signedIn };
}
