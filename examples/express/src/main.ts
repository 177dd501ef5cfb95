/**
 * Express 5 + `@torii/express`: a public health check, the signed-in user, and two admin routes
 * that call the torii server API. Configured from env; `torii-dev` gives local values.
 */
import type { AddressInfo } from 'node:net';
import { ToriiApiError, type ToriiAuth, ToriiClient } from '@torii/core';
import { getAuth, requireAuth } from '@torii/express';
import express, { type NextFunction, type Request, type Response } from 'express';

const { TORII_ISSUER: issuer, TORII_SECRET_KEY: secretKey, TORII_API_URL: apiUrl } = process.env;
if (!issuer || !secretKey) {
  console.error(
    'example-express: set TORII_ISSUER and TORII_SECRET_KEY (and TORII_API_URL for a local API).\n' +
      'For a local torii, run `npx pnpm@12.4.2 exec torii-dev --seed` in another terminal, then the\n' +
      '`export TORII_ISSUER=… TORII_API_URL=… TORII_SECRET_KEY=…` line it prints, here.',
  );
  process.exit(1);
}

const torii = new ToriiClient({ secretKey, apiUrl: apiUrl || undefined });
const isAdmin = (auth: ToriiAuth): boolean => auth.raw.role === 'admin';
const signedIn = requireAuth({ issuer });
const admin = requireAuth({ issuer, authorize: isAdmin });

const app = express();

app.get('/health', (_req, res) => {
  res.json({ ok: true });
});

app.get('/me', signedIn, (req, res) => {
  res.json(getAuth(req));
});

app.get('/admin/users', admin, async (_req, res) => {
  res.json(await torii.users.list({ limit: 20 }));
});

app.post('/admin/users/:id/ban', admin, async (req: Request<{ id: string }>, res) => {
  res.json(await torii.users.ban(req.params.id));
});

// A torii API error (unknown user, bad secret key) becomes a JSON answer instead of a 500 page.
app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
  if (!(err instanceof ToriiApiError)) return next(err);
  res
    .status(err.status === 404 ? 404 : 502)
    .json({ error: { code: 'torii_api_error', status: err.status, message: err.message } });
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
