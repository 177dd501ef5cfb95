import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMockToriiApi,
  createTestIssuer,
  type MockToriiApi,
  type TestIssuer,
} from '@torii/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

let issuer: TestIssuer;
let api: MockToriiApi;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  issuer = await createTestIssuer(); // JWKS on http://127.0.0.1:<free port>
  api = await createMockToriiApi(); // the torii server API, in memory, on another free port
  api.addUser({ email: 'ada@example.com', name: 'Ada' });

  // The app under test: requireAuth({ issuer }) from @torii/express, ToriiClient for /admin.
  const { app, auth } = createApp({
    issuer: issuer.issuer,
    secretKey: api.secretKey,
    apiUrl: api.url,
  });
  await auth.ready(); // the startup check, as main.ts runs it: the issuer's keys are fetched
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await Promise.all([issuer.close(), api.close()]);
});

const get = (path: string, token?: string) =>
  fetch(`${baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

it('GET /health is public and reports torii’s status', async () => {
  const res = await get('/health');
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({
    ok: true,
    torii: { ready: true, issuer: issuer.issuer },
  });
});

describe('GET /me', () => {
  it('answers the signed-in user', async () => {
    const res = await get('/me', await issuer.sign({ sub: 'user_123' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      userId: 'user_123',
      environmentId: issuer.environmentId,
    });
  });

  it('without a token: 401 and a bare Bearer challenge', async () => {
    const res = await get('/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({
      error: { code: 'authentication_failed', message: expect.any(String) },
    });
  });

  it('with an expired token: 401 and error="invalid_token"', async () => {
    const res = await get('/me', await issuer.sign({}, { expired: true }));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await res.json()).toMatchObject({ error: { code: 'authentication_failed' } });
  });
});

describe('GET /admin/users', () => {
  it('refuses a signed-in user who is not an admin: 403', async () => {
    const res = await get('/admin/users', await issuer.sign({ sub: 'user_123' }));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('answers an admin with a page of users from the server API', async () => {
    const res = await get('/admin/users', await issuer.sign({ role: 'admin' }));
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: Array<{ email: string }> };
    expect(page.items.map((user) => user.email)).toEqual(['ada@example.com']);
    expect(api.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/server/v1/users/search?limit=20',
    });
  });
});

describe('POST /admin/users/:id/ban', () => {
  const ban = (base: string, id: string, token: string) =>
    fetch(`${base}/admin/users/${encodeURIComponent(id)}/ban`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });

  it('bans the user, with the server API in process (createApp’s fetch option)', async () => {
    const inProcess = createApp({
      issuer: issuer.issuer,
      secretKey: api.secretKey,
      fetch: api.fetch,
    });
    const other = inProcess.app.listen(0, '127.0.0.1');
    try {
      await once(other, 'listening');
      const base = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const grace = api.addUser({ email: 'grace@example.com' });
      expect((await ban(base, grace.id, await issuer.sign())).status).toBe(403);
      const res = await ban(base, grace.id, await issuer.sign({ role: 'admin' }));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: grace.id, status: 'banned' });
      expect(api.users().find((user) => user.id === grace.id)?.status).toBe('banned');
    } finally {
      other.close();
    }
  });

  it('answers an unknown user as JSON 404, not an HTML error page', async () => {
    const res = await ban(baseUrl, 'no-such-user', await issuer.sign({ role: 'admin' }));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'torii_api_error', status: 404 } });
  });
});
