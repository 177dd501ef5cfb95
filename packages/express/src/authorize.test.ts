import { createServer } from 'node:http';
import { countSignatureChecks, get, isAdmin, listenOnLoopback } from '@torii/conformance';
import { FORBIDDEN_MESSAGE, NO_TORII_AUTH_MESSAGE } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  allOf,
  authorize,
  claimEquals,
  emailVerified,
  getAuth,
  notImpersonating,
  optionalAuth,
  requireAuth,
  ToriiConfigError,
  ToriiError,
} from './index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

const FORBIDDEN = { error: { code: 'forbidden', message: FORBIDDEN_MESSAGE } };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Serves `app` until the test ends; errors answer 500 `{ error: name, message }`. */
async function serve(app: Express): Promise<string> {
  const onError: ErrorRequestHandler = (err: Error, _req, res, _next) => {
    res.status(500).json({ error: err.name, message: err.message });
  };
  app.use(onError);
  const server = await listenOnLoopback(createServer(app));
  onTestFinished(() => server.close());
  return server.url;
}

describe('authorize(check) after requireAuth', () => {
  it('reads req.auth: 403 with core’s body when the check says no, the handler when yes', async () => {
    const check = vi.fn(isAdmin);
    const app = express();
    app.use('/api', requireAuth({ issuer: issuer.issuer }));
    app.get('/api/admin', authorize(check), (req, res) => {
      res.json({ userId: getAuth(req).userId });
    });
    const url = await serve(app);
    const member = await get(url, '/api/admin', bearer(await issuer.sign({ role: 'member' })));
    expect(member.status).toBe(403);
    expect(member.body).toStrictEqual(FORBIDDEN);
    expect(member.headers.get('www-authenticate')).toBeNull();
    const admin = await issuer.sign({ sub: 'user_admin', role: 'admin' });
    expect((await get(url, '/api/admin', bearer(admin))).body).toStrictEqual({
      userId: 'user_admin',
    });
    expect(check).toHaveBeenCalledTimes(2);
    expect(check.mock.calls[1]?.[0]).toMatchObject({ userId: 'user_admin' });
    expect((await get(url, '/api/admin')).status).toBe(401);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('passes the Express request and awaits async checks; composes ready-made checks', async () => {
    const app = express();
    app.use(requireAuth({ issuer: issuer.issuer }));
    app.get(
      '/orgs/:org',
      authorize(async (auth, req) => auth.raw.org === req.params.org),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
    app.delete('/account', authorize(allOf(emailVerified, notImpersonating)), (_req, res) => {
      res.json({ ok: true });
    });
    const url = await serve(app);
    const acme = await issuer.sign({ org: 'acme' });
    expect((await get(url, '/orgs/acme', bearer(acme))).status).toBe(200);
    expect((await get(url, '/orgs/other', bearer(acme))).status).toBe(403);
    const del = (token: string) =>
      fetch(`${url}/account`, { method: 'DELETE', headers: bearer(token) }).then((r) => r.status);
    expect(await del(await issuer.sign({ email_verified: true }))).toBe(200);
    expect(await del(await issuer.sign({ email_verified: true, impersonating: true }))).toBe(403);
    expect(await del(await issuer.sign({ email_verified: false }))).toBe(403);
  });

  it('checks chain: every authorize must pass', async () => {
    const app = express();
    app.get(
      '/x',
      requireAuth({ issuer: issuer.issuer }),
      authorize(emailVerified),
      authorize(claimEquals('role', 'admin')),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
    const url = await serve(app);
    const ok = await issuer.sign({ email_verified: true, role: 'admin' });
    expect((await get(url, '/x', bearer(ok))).status).toBe(200);
    const notAdmin = await issuer.sign({ email_verified: true, role: 'member' });
    expect((await get(url, '/x', bearer(notAdmin))).body).toStrictEqual(FORBIDDEN);
  });

  it('verifies the token once: one signature check, where a second requireAuth costs two', async () => {
    const options = { issuer: issuer.issuer, tokenCache: false as const };
    const app = express();
    app.get('/route-check', requireAuth(options), authorize(isAdmin), (_req, res) => {
      res.json({ ok: true });
    });
    // the pattern authorize(check) replaces: a second middleware, a second verification
    const twice = requireAuth({ ...options, authorize: isAdmin });
    app.get('/second-guard', requireAuth(options), twice, (_req, res) => {
      res.json({ ok: true });
    });
    const url = await serve(app);
    const token = await issuer.sign({ role: 'admin' });
    await get(url, '/route-check', bearer(token)); // keys fetched before counting
    const counter = countSignatureChecks();
    onTestFinished(() => counter.stop());
    expect((await get(url, '/route-check', bearer(token))).status).toBe(200);
    expect(counter.count).toBe(1);
    counter.reset();
    expect((await get(url, '/second-guard', bearer(token))).status).toBe(200);
    expect(counter.count).toBe(2);
  });
});

describe('authorize(check) in other places', () => {
  it('after optionalAuth: no token is a 401 (a check needs a user), the check not called', async () => {
    const check = vi.fn(() => true);
    const app = express();
    app.get('/x', optionalAuth({ issuer: issuer.issuer }), authorize(check), (_req, res) => {
      res.json({ ok: true });
    });
    const res = await get(await serve(app), '/x');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body).toMatchObject({ error: { code: 'authentication_failed' } });
    expect(check).not.toHaveBeenCalled();
  });

  it('without torii middleware before it: next(ToriiError) naming the fix, never the handler', async () => {
    const check = vi.fn(() => true);
    const handler = vi.fn();
    const app = express();
    app.get('/x', authorize(check), handler);
    const res = await get(await serve(app), '/x', bearer(await issuer.sign({ role: 'admin' })));
    expect(res.status).toBe(500);
    expect(res.body).toStrictEqual({ error: 'ToriiError', message: NO_TORII_AUTH_MESSAGE });
    expect(check).not.toHaveBeenCalled();
    expect(handler).not.toHaveBeenCalled();
  });

  it('an error thrown by the check goes to next(err)', async () => {
    const app = express();
    const boom = authorize(() => {
      throw new Error('policy store is down');
    });
    app.get('/x', requireAuth({ issuer: issuer.issuer }), boom, (_req, res) => {
      res.json({ ok: true });
    });
    const res = await get(await serve(app), '/x', bearer(await issuer.sign()));
    expect(res).toMatchObject({ status: 500, body: { message: 'policy store is down' } });
  });

  it('answers through the onDenied of the torii middleware that ran on the request', async () => {
    const app = express();
    const guarded = requireAuth({
      issuer: issuer.issuer,
      onDenied: (denied, _req, res) => {
        res.status(denied.status).json({ custom: denied.status });
      },
    });
    app.get('/hooked', guarded, authorize(isAdmin), (_req, res) => {
      res.json({ ok: true });
    });
    app.get('/plain', requireAuth({ issuer: issuer.issuer }), authorize(isAdmin), (_req, res) => {
      res.json({ ok: true });
    });
    const url = await serve(app);
    const member = bearer(await issuer.sign({ role: 'member' }));
    expect(await get(url, '/hooked', member)).toMatchObject({
      status: 403,
      body: { custom: 403 },
    });
    expect((await get(url, '/plain', member)).body).toStrictEqual(FORBIDDEN);
  });

  it.each([
    ['nothing', undefined],
    ['a role name', 'admin'],
  ])('given %s instead of a check: ToriiConfigError at startup', (_, check) => {
    expect(() => authorize(check as never)).toThrow(ToriiConfigError);
    expect(() => authorize(check as never)).toThrow(ToriiError);
  });
});
