// ToriiClient of @torii/core against the mock server API: every operation round-trips, over HTTP
// and through the in-process fetch, and every response the client sees is checked against the
// spec (SpecContract).
import { ToriiApiError, ToriiClient } from '@torii/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockToriiApi, type MockToriiApi } from '../src/index.js';
import { SpecContract } from './support/spec-contract.js';

const contract = new SpecContract();

async function apiErrorOf(promise: Promise<unknown>): Promise<ToriiApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ToriiApiError) return error;
    throw error;
  }
  throw new Error('expected a ToriiApiError, the call succeeded');
}

describe.each(['http', 'in-process'] as const)('ToriiClient ⇄ mock API over %s', (transport) => {
  let api: MockToriiApi;
  let torii: ToriiClient;

  beforeEach(async () => {
    api = await createMockToriiApi({ listen: transport === 'http' });
    torii = new ToriiClient({
      secretKey: api.secretKey,
      apiUrl: api.url,
      fetch: contract.wrap(transport === 'http' ? fetch : api.fetch),
      retryBaseMs: 1,
      retryMaxDelayMs: 5,
    });
  });
  afterEach(async () => {
    await api.close();
  });

  it('users: create, get, update (tri-state), ban, unban, delete', async () => {
    const created = await torii.users.create({
      email: 'ada@example.com',
      password: 'correct horse battery staple',
      name: 'Ada',
      phone: '+15555550100',
      dateOfBirth: '1815-12-10',
    });
    expect(created).toMatchObject({
      email: 'ada@example.com',
      status: 'active',
      environmentId: api.environmentId,
    });
    expect(await torii.users.get(created.id)).toEqual(created);

    const updated = await torii.users.update(created.id, {
      name: 'Ada Lovelace',
      phone: null,
      locale: 'da',
    });
    expect(updated).toMatchObject({
      name: 'Ada Lovelace',
      phone: null,
      locale: 'da',
      dateOfBirth: '1815-12-10',
    });
    expect(api.requests.at(-1)?.body).toEqual({ name: 'Ada Lovelace', phone: null, locale: 'da' });

    expect((await torii.users.ban(created.id)).status).toBe('banned');
    expect((await torii.users.unban(created.id)).status).toBe('active');

    await torii.users.delete(created.id);
    expect(api.users()[0]).toMatchObject({ status: 'deleted', deletedAt: expect.any(String) });
    const again = await apiErrorOf(torii.users.delete(created.id));
    expect(again).toMatchObject({ status: 403, code: 'user_deleted' });
  });

  it('users.list: filters and cursor; listAll follows every cursor', async () => {
    for (let i = 0; i < 5; i++) api.addUser({ name: `Member ${i}`, email: `m${i}@example.com` });
    api.addUser({ name: 'Banned', email: 'banned@example.com', status: 'banned' });
    api.addUser({ name: null, email: null });

    const page = await torii.users.list({ limit: 2, name: 'member' });
    expect(page.items.map((u) => u.name)).toEqual(['Member 0', 'Member 1']);
    expect(page).toMatchObject({ hasMore: true, nextCursor: page.items[1]?.id });
    const next = await torii.users.list({ limit: 2, name: 'member', cursor: page.nextCursor });
    expect(next.items.map((u) => u.name)).toEqual(['Member 2', 'Member 3']);

    expect((await torii.users.list({ statuses: ['banned'] })).items.map((u) => u.name)).toEqual([
      'Banned',
    ]);
    expect((await torii.users.list({ email: null })).items).toHaveLength(1);
    expect(
      (await torii.users.list({ createdAfter: new Date(Date.now() + 60_000).toISOString() })).items,
    ).toEqual([]);

    const all: string[] = [];
    for await (const user of torii.users.listAll({ limit: 2 })) all.push(user.id);
    expect(all).toEqual(api.users().map((u) => u.id));
  });

  it('sessions: list, revoke one, revoke all; ban revokes them', async () => {
    const user = api.addUser();
    const older = api.addSession(user.id, { lastUsedAt: new Date(Date.now() - 60_000) });
    const newer = api.addSession(user.id);
    expect((await torii.sessions.listForUser(user.id)).map((s) => s.id)).toEqual([
      newer.id,
      older.id,
    ]);

    await torii.sessions.revoke(user.id, newer.id);
    await torii.sessions.revoke(user.id, newer.id);
    expect((await torii.sessions.listForUser(user.id)).map((s) => s.id)).toEqual([older.id]);

    await torii.sessions.revokeAllForUser(user.id);
    await torii.sessions.revokeAllForUser(user.id);
    expect(await torii.sessions.listForUser(user.id)).toEqual([]);

    api.addSession(user.id);
    await torii.users.ban(user.id);
    expect(await torii.sessions.listForUser(user.id)).toEqual([]);
  });

  it('problem+json errors become ToriiApiError with status, code and supportId', async () => {
    const missing = await apiErrorOf(torii.users.get(crypto.randomUUID()));
    expect(missing).toMatchObject({ status: 404, code: 'user_not_found', title: 'Not Found' });
    expect(missing.supportId).toMatch(/^[0-9a-f-]{36}$/);

    await torii.users.create({ email: 'ada@example.com' });
    expect(await apiErrorOf(torii.users.create({ email: 'ADA@example.com' }))).toMatchObject({
      status: 409,
      code: 'email_taken',
    });
    expect(await apiErrorOf(torii.users.create({ email: 'nope' }))).toMatchObject({
      status: 400,
      code: 'invalid_body',
    });

    const foreign = api.addUser({ environmentId: crypto.randomUUID() });
    expect(await apiErrorOf(torii.users.get(foreign.id))).toMatchObject({
      status: 403,
      code: 'environment_mismatch',
    });
    expect(await apiErrorOf(torii.sessions.listForUser(foreign.id))).toMatchObject({ status: 403 });

    const wrongKey = 'sk_test_wrong_key_123';
    const stranger = new ToriiClient({
      secretKey: wrongKey,
      apiUrl: api.url,
      fetch: contract.wrap(api.fetch),
    });
    const denied = await apiErrorOf(stranger.users.list());
    expect(denied).toMatchObject({ status: 401, code: 'secret_key_invalid' });
    expect(denied.message).not.toContain(wrongKey);
  });
});

describe('ToriiClient retries against the mock', () => {
  let api: MockToriiApi;
  beforeEach(async () => {
    api = await createMockToriiApi({ listen: false });
  });
  const client = (fetchImpl: typeof fetch = api.fetch) =>
    new ToriiClient({
      secretKey: api.secretKey,
      apiUrl: api.url,
      fetch: fetchImpl,
      retryBaseMs: 1,
      retryMaxDelayMs: 5,
    });

  it('a safe operation is retried through 503 and 429 (Retry-After)', async () => {
    const user = api.addUser();
    api.failNext({ status: 503 });
    api.failNext({ status: 429, headers: { 'retry-after': '0' } });
    expect((await client().users.get(user.id)).id).toBe(user.id);
    expect(api.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
  });

  it('create is not retried blindly', async () => {
    api.failNext({ status: 503 });
    expect(await apiErrorOf(client().users.create({ email: 'ada@example.com' }))).toMatchObject({
      status: 503,
    });
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(api.users()).toEqual([]);
  });

  it('a delete whose first answer was lost: the retry gets 403 and counts as done', async () => {
    const user = api.addUser();
    let calls = 0;
    const lossy: typeof fetch = async (input, init) => {
      const response = await api.fetch(input, init);
      calls++;
      if (calls === 1)
        throw new TypeError('fetch failed (connection reset after the server acted)');
      return response;
    };
    await expect(client(lossy).users.delete(user.id)).resolves.toBeUndefined();
    expect(calls).toBe(2);
    expect(api.users()[0]?.status).toBe('deleted');
  });
});
