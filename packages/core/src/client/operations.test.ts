import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../test/fake-api-server.js';
import { ToriiApiError } from '../errors.js';
import { ToriiClient } from './index.js';
import { SDK_VERSION } from './version.js';

let api: FakeApiServer;
let torii: ToriiClient;

beforeEach(async () => {
  api = await startFakeApiServer();
  torii = new ToriiClient({ secretKey: api.secretKey, apiUrl: api.url, retryBaseMs: 1 });
});
afterEach(async () => {
  await api.close();
});

function last() {
  const request = api.requests.at(-1);
  if (request === undefined) throw new Error('no request recorded');
  return request;
}

describe('wire format of every operation', () => {
  it('sends the common headers on every request', async () => {
    const user = api.seedUser();
    await torii.users.get(user.id);
    const { headers } = last();
    expect(headers.authorization).toBe(`Bearer ${api.secretKey}`);
    expect(headers['user-agent']).toBe(`torii-node/${SDK_VERSION}`);
    expect(headers.accept).toBe('application/json, application/problem+json');
    expect(headers['content-type']).toBeUndefined();
  });

  it('users.list: POST /users/search, limit and cursor in the query, filters in the body', async () => {
    await torii.users.list({
      limit: 50,
      name: 'ada',
      email: null,
      statuses: ['active', 'banned'],
      createdAfter: '2026-01-01T00:00:00Z',
      createdBefore: undefined,
    });
    const request = last();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/server/v1/users/search');
    expect(request.rawQuery).toBe('limit=50');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body.toString('utf8')).toBe(
      '{"name":"ada","email":null,"statuses":["active","banned"],"createdAfter":"2026-01-01T00:00:00Z"}',
    );
  });

  it('users.list without arguments sends an empty filter object and no query', async () => {
    await torii.users.list();
    const request = last();
    expect(request.rawQuery).toBe('');
    expect(request.body.toString('utf8')).toBe('{}');
  });

  it('users.list passes an opaque cursor back unchanged (URL-encoded in the query)', async () => {
    api.inject({
      kind: 'status',
      status: 200,
      contentType: 'application/json',
      body: '{"items":[],"nextCursor":null,"hasMore":false}',
    });
    await torii.users.list({ cursor: 'c/ü?&=x', limit: 2 });
    expect(last().rawQuery).toBe('limit=2&cursor=c%2F%C3%BC%3F%26%3Dx');
    expect(last().query.cursor).toBe('c/ü?&=x');
  });

  it('users.get: GET /users/{id}', async () => {
    const user = api.seedUser({ email: 'ada@example.com', locale: null });
    const got = await torii.users.get(user.id);
    expect(got).toEqual(user);
    expect(got.locale).toBeNull();
    expect(last()).toMatchObject({ method: 'GET', path: `/api/server/v1/users/${user.id}` });
    expect(last().body.length).toBe(0);
  });

  it('users.create: POST /users with exactly the given keys, answers the created user', async () => {
    const created = await torii.users.create({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      phone: null,
      password: 'correct horse battery staple',
    });
    expect(created).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      status: 'active',
    });
    const request = last();
    expect(request).toMatchObject({ method: 'POST', path: '/api/server/v1/users' });
    expect(request.body.toString('utf8')).toBe(
      '{"email":"ada@example.com","name":"Ada Lovelace","phone":null,"password":"correct horse battery staple"}',
    );
  });

  it('users.create without input sends {}', async () => {
    await torii.users.create();
    expect(last().body.toString('utf8')).toBe('{}');
  });

  it('users.update: tri-state PATCH: value sets, null clears, undefined is left out', async () => {
    const user = api.seedUser({
      name: 'Ada',
      phone: '+15555550100',
      address: 'London',
      locale: 'en',
    });
    const updated = await torii.users.update(user.id, {
      name: 'Ada King',
      phone: null,
      locale: null,
      address: undefined,
    });
    const request = last();
    expect(request).toMatchObject({ method: 'PATCH', path: `/api/server/v1/users/${user.id}` });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body.toString('utf8')).toBe('{"name":"Ada King","phone":null,"locale":null}');
    expect(updated).toMatchObject({
      name: 'Ada King',
      phone: null,
      locale: null,
      address: 'London',
    });
  });

  it('users.update with an empty patch sends {}', async () => {
    const user = api.seedUser();
    await torii.users.update(user.id, {});
    expect(last().body.toString('utf8')).toBe('{}');
  });

  it('users.delete: DELETE /users/{id}, resolves undefined on 204', async () => {
    const user = api.seedUser();
    await expect(torii.users.delete(user.id)).resolves.toBeUndefined();
    expect(last()).toMatchObject({ method: 'DELETE', path: `/api/server/v1/users/${user.id}` });
    expect(last().body.length).toBe(0);
    expect(api.users.get(user.id)?.status).toBe('deleted');
  });

  it('a first delete of an already deleted user is a ToriiApiError 403 (nothing was retried)', async () => {
    const user = api.seedUser();
    await torii.users.delete(user.id);
    const error = await torii.users.delete(user.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToriiApiError);
    expect((error as ToriiApiError).status).toBe(403);
  });

  it('users.ban and users.unban: POST /users/{id}/ban|unban', async () => {
    const user = api.seedUser();
    api.seedSession(user.id);
    const banned = await torii.users.ban(user.id);
    expect(banned.status).toBe('banned');
    expect(last()).toMatchObject({ method: 'POST', path: `/api/server/v1/users/${user.id}/ban` });
    expect(last().body.length).toBe(0);
    expect(await torii.sessions.listForUser(user.id)).toEqual([]);
    const active = await torii.users.unban(user.id);
    expect(active.status).toBe('active');
    expect(api.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/api/server/v1/users/${user.id}/unban`,
    });
  });

  it('sessions.listForUser: GET /users/{id}/sessions', async () => {
    const user = api.seedUser();
    const first = api.seedSession(user.id);
    const second = api.seedSession(user.id);
    const sessions = await torii.sessions.listForUser(user.id);
    expect(sessions).toEqual([second, first]);
    expect(last()).toMatchObject({
      method: 'GET',
      path: `/api/server/v1/users/${user.id}/sessions`,
    });
  });

  it('sessions.revokeAllForUser: DELETE /users/{id}/sessions', async () => {
    const user = api.seedUser();
    api.seedSession(user.id);
    await expect(torii.sessions.revokeAllForUser(user.id)).resolves.toBeUndefined();
    expect(last()).toMatchObject({
      method: 'DELETE',
      path: `/api/server/v1/users/${user.id}/sessions`,
    });
    expect(api.sessions.size).toBe(0);
  });

  it('sessions.revoke: DELETE /users/{id}/sessions/{sessionId}', async () => {
    const user = api.seedUser();
    const session = api.seedSession(user.id);
    const kept = api.seedSession(user.id);
    await expect(torii.sessions.revoke(user.id, session.id)).resolves.toBeUndefined();
    expect(last()).toMatchObject({
      method: 'DELETE',
      path: `/api/server/v1/users/${user.id}/sessions/${session.id}`,
    });
    expect([...api.sessions.keys()]).toEqual([kept.id]);
  });
});

describe('path segments', () => {
  it('URL-encodes every path segment and never validates the id format', async () => {
    const user = api.seedUser({ id: 'user_abc/../../x?y#z %ü' });
    const got = await torii.users.get(user.id);
    expect(got.id).toBe(user.id);
    expect(last().path).toBe('/api/server/v1/users/user_abc%2F..%2F..%2Fx%3Fy%23z%20%25%C3%BC');

    api.seedSession(user.id, { id: 'sess/1' });
    await torii.sessions.revoke(user.id, 'sess/1');
    expect(last().path).toBe(
      '/api/server/v1/users/user_abc%2F..%2F..%2Fx%3Fy%23z%20%25%C3%BC/sessions/sess%2F1',
    );
  });

  it('keeps a base path of apiUrl', async () => {
    const prefixed = new ToriiClient({ secretKey: api.secretKey, apiUrl: `${api.url}/proxy/` });
    await prefixed.users.get('user_abc').catch(() => undefined);
    expect(last().path).toBe('/proxy/api/server/v1/users/user_abc');
  });

  it.each(['', '.', '..'])(
    'refuses the id %j before any request (it would change the path)',
    async (id) => {
      await expect(torii.users.get(id)).rejects.toThrow(/userId must/);
      await expect(torii.users.delete(id)).rejects.toThrow(/userId must/);
      await expect(torii.sessions.revoke('user_abc', id)).rejects.toThrow(/sessionId must/);
      expect(api.requests).toHaveLength(0);
    },
  );
});

describe('server errors of the spec', () => {
  it('404 on an unknown user carries the problem fields, code and supportId', async () => {
    const error = (await torii.users.get('user_missing').catch((e: unknown) => e)) as ToriiApiError;
    expect(error).toBeInstanceOf(ToriiApiError);
    expect(error).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'No user with this id.',
      type: 'about:blank',
      instance: '/api/server/v1/users/user_missing',
      code: 'user_not_found',
      supportId: `sup_${api.requests.length}`,
      requestId: `req_${api.requests.length}`,
    });
    expect(api.requests).toHaveLength(1);
  });

  it('409 on a duplicate email, never retried', async () => {
    api.seedUser({ email: 'ada@example.com' });
    const error = (await torii.users
      .create({ email: 'ada@example.com' })
      .catch((e: unknown) => e)) as ToriiApiError;
    expect(error.status).toBe(409);
    expect(error.code).toBe('email_taken');
    expect(api.requests).toHaveLength(1);
  });

  it('401 with a wrong key names the fix and never contains the key', async () => {
    const wrong = new ToriiClient({ secretKey: 'sk_test_wrong_key_123', apiUrl: api.url });
    const error = (await wrong.users.list().catch((e: unknown) => e)) as ToriiApiError;
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_secret_key');
    expect(error.message).toMatch(/Check secretKey/);
    expect(error.message).not.toContain('sk_test_wrong_key_123');
    expect(JSON.stringify(error)).not.toContain('sk_test_wrong_key_123');
    expect(api.requests).toHaveLength(1);
  });
});
