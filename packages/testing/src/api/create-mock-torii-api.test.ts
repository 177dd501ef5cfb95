import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpecContract } from '../../test/support/spec-contract.js';
import { createMockToriiApi, type MockToriiApi } from './create-mock-torii-api.js';
import type { MockSession, MockUser } from './types.js';

// Every response in this file goes through the spec contract check (Ajv 2020 + formats).
const contract = new SpecContract();

interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

type Transport = 'http' | 'in-process';

describe.each<Transport>(['in-process', 'http'])('mock torii API over %s', (transport) => {
  let api: MockToriiApi;
  let send: typeof fetch;

  beforeEach(async () => {
    api = await createMockToriiApi({ listen: transport === 'http' });
    send = contract.wrap(transport === 'http' ? fetch : api.fetch);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await api.close();
  });

  async function call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { authorization: `Bearer ${api.secretKey}` },
  ): Promise<Answer<T>> {
    const response = await send(`${api.url}/api/server/v1${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
    };
  }

  const create = async (fields: Record<string, unknown> = {}): Promise<MockUser> => {
    const answer = await call<MockUser>('POST', '/users', fields);
    expect(answer.status).toBe(201);
    return answer.body;
  };

  describe('secret key', () => {
    it('missing: 401 problem+json, secret_key_missing', async () => {
      const answer = await call<Record<string, unknown>>('GET', '/users/x', undefined, {});
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.body).toMatchObject({
        status: 401,
        title: 'Unauthorized',
        code: 'secret_key_missing',
      });
      expect(answer.body.supportId).toEqual(expect.any(String));
    });

    it('wrong or malformed: 401 secret_key_invalid, never echoing the key', async () => {
      for (const authorization of [
        'Bearer sk_test_wrong',
        `Basic ${api.secretKey}`,
        `Bearer ${api.secretKey}x`,
        `Bearer ${api.secretKey} extra`,
      ]) {
        const answer = await call<Record<string, unknown>>(
          'POST',
          '/users/search',
          {},
          { authorization },
        );
        expect(answer.status).toBe(401);
        expect(answer.body.code).toBe('secret_key_invalid');
        expect(JSON.stringify(answer.body)).not.toContain(api.secretKey);
        expect(JSON.stringify(answer.body)).not.toContain('sk_test_wrong');
      }
    });

    it('accepts the scheme in any case', async () => {
      const answer = await call(
        'POST',
        '/users/search',
        {},
        { authorization: `bearer ${api.secretKey}` },
      );
      expect(answer.status).toBe(200);
    });

    it('defaults to an sk_test_torii_dev_ key, unique per mock', async () => {
      expect(api.secretKey).toMatch(/^sk_test_torii_dev_[0-9a-f]{32}$/);
      const other = await createMockToriiApi({ listen: false });
      expect(other.secretKey).not.toBe(api.secretKey);
    });
  });

  describe('createUser', () => {
    it('201 with every field, nulls for the rest, status active, in the mock environment', async () => {
      const user = await create({
        email: 'Ada@Example.com',
        password: 'correct horse battery staple',
        name: 'Ada Lovelace',
        phone: '+15555550100',
        address: '221B Baker Street',
        dateOfBirth: '1815-12-10',
        unknownField: 'ignored',
      });
      expect(user).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        environmentId: api.environmentId,
        email: 'Ada@Example.com',
        name: 'Ada Lovelace',
        phone: '+15555550100',
        locale: null,
        address: '221B Baker Street',
        dateOfBirth: '1815-12-10',
        status: 'active',
        createdAt: expect.any(String),
        updatedAt: user.createdAt,
        deletedAt: null,
      });
      expect(user).not.toHaveProperty('password');
      expect(user).not.toHaveProperty('unknownField');
    });

    it('an empty object creates a user without identity', async () => {
      expect((await create()).email).toBeNull();
    });

    it('409 when the email is taken, case-insensitively', async () => {
      await create({ email: 'ada@example.com' });
      const answer = await call<Record<string, unknown>>('POST', '/users', {
        email: 'ADA@example.COM',
      });
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('email_taken');
    });

    it('the email of a deleted user can be used again; another environment does not count', async () => {
      const first = await create({ email: 'ada@example.com' });
      expect((await call('DELETE', `/users/${first.id}`)).status).toBe(204);
      await create({ email: 'ada@example.com' });
      api.addUser({ environmentId: crypto.randomUUID(), email: 'grace@example.com' });
      await create({ email: 'grace@example.com' });
    });

    it.each([
      [{ email: 'not-an-email' }, 'invalid_body', /email/],
      [{ email: 'a b@example.com' }, 'invalid_body', /email/],
      [{ password: 'short' }, 'password_too_weak', /at least 8/],
      [{ dateOfBirth: '2023-02-30' }, 'invalid_body', /YYYY-MM-DD/],
      [{ dateOfBirth: '10/12/1815' }, 'invalid_body', /YYYY-MM-DD/],
      [{ name: 42 }, 'invalid_body', /name must be a string/],
    ])('400 for %j', async (body, code, detail) => {
      const answer = await call<Record<string, string>>('POST', '/users', body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe(code);
      expect(answer.body.detail).toMatch(detail);
    });

    it.each([
      ['{not json', 'invalid_json'],
      ['[]', 'invalid_body'],
      ['"text"', 'invalid_body'],
      ['null', 'invalid_body'],
    ])('400 for the body %s', async (raw, code) => {
      const answer = await call<Record<string, string>>('POST', '/users', raw);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe(code);
    });

    it('400 without a body (the body is required)', async () => {
      const answer = await call<Record<string, string>>('POST', '/users');
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_body');
    });

    // Years 0000–0099 are real years (Date.UTC would read them as 1900–1999); 0000 and 0004 are
    // leap years in the proleptic Gregorian calendar, 0100 is not.
    it.each(['0000-01-01', '0000-02-29', '0001-01-01', '0004-02-29', '0099-12-31', '0100-01-01'])(
      'dateOfBirth %s is a real date: stored, returned and patched as sent',
      async (date) => {
        const user = await create({ dateOfBirth: date });
        expect(user.dateOfBirth).toBe(date);
        const cleared = await call<MockUser>('PATCH', `/users/${user.id}`, { dateOfBirth: null });
        expect(cleared.body.dateOfBirth).toBeNull();
        const patched = await call<MockUser>('PATCH', `/users/${user.id}`, { dateOfBirth: date });
        expect(patched.status).toBe(200);
        expect(patched.body.dateOfBirth).toBe(date);
      },
    );

    it.each([
      '0004-02-30',
      '0001-02-29',
      '0099-02-29',
      '0100-02-29',
      '0000-00-01',
      '0001-13-01',
      '0050-04-31',
    ])('dateOfBirth %s is not a date: 400', async (date) => {
      const answer = await call<Record<string, string>>('POST', '/users', { dateOfBirth: date });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_body');
      expect(answer.body.detail).toMatch(/YYYY-MM-DD/);
    });
  });

  describe('getUser', () => {
    it('200 for a user of this environment', async () => {
      const user = await create({ email: 'ada@example.com' });
      const answer = await call<MockUser>('GET', `/users/${user.id}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(user);
    });

    it('404 for an unknown id', async () => {
      const answer = await call<Record<string, string>>('GET', `/users/${crypto.randomUUID()}`);
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('user_not_found');
    });

    it('403 for a user of another environment', async () => {
      const foreign = api.addUser({ environmentId: crypto.randomUUID() });
      const answer = await call<Record<string, string>>('GET', `/users/${foreign.id}`);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('environment_mismatch');
    });

    it('URL-decodes the id (a non-UUID id, so outside the contract check)', async () => {
      const user = api.addUser({ id: 'user abc/1' });
      const raw = transport === 'http' ? fetch : api.fetch;
      const response = await raw(`${api.url}/api/server/v1/users/${encodeURIComponent(user.id)}`, {
        headers: { authorization: `Bearer ${api.secretKey}` },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as MockUser).id).toBe('user abc/1');
    });
  });

  describe('updateUser (tri-state PATCH)', () => {
    it('a value sets, null clears, an absent key leaves alone', async () => {
      const user = await create({ name: 'Ada', phone: '+1555', address: 'London' });
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.parse(user.createdAt) + 60_000);
      const answer = await call<MockUser>('PATCH', `/users/${user.id}`, {
        name: 'Ada Lovelace',
        phone: null,
        locale: 'da',
        dateOfBirth: '1815-12-10',
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        name: 'Ada Lovelace',
        phone: null,
        locale: 'da',
        address: 'London',
        dateOfBirth: '1815-12-10',
      });
      expect(answer.body.updatedAt).toBe(
        new Date(Date.parse(user.createdAt) + 60_000).toISOString(),
      );

      const cleared = await call<MockUser>('PATCH', `/users/${user.id}`, { locale: null });
      expect(cleared.body).toMatchObject({ locale: null, name: 'Ada Lovelace' });
    });

    it('an empty patch changes nothing, updatedAt included', async () => {
      const user = await create({ name: 'Ada' });
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.parse(user.createdAt) + 60_000);
      const answer = await call<MockUser>('PATCH', `/users/${user.id}`, {});
      expect(answer.body).toEqual(user);
    });

    it.each([
      [{ locale: 'fr' }, /locale must be one of "en", "da" or null/],
      [{ dateOfBirth: '1815-13-01' }, /YYYY-MM-DD/],
      [{ name: ['Ada'] }, /name must be a string/],
    ])('400 for %j', async (patch, detail) => {
      const user = await create();
      const answer = await call<Record<string, string>>('PATCH', `/users/${user.id}`, patch);
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toMatch(detail);
    });

    it('404 unknown, 403 other environment', async () => {
      expect((await call('PATCH', `/users/${crypto.randomUUID()}`, { name: 'x' })).status).toBe(
        404,
      );
      const foreign = api.addUser({ environmentId: crypto.randomUUID() });
      expect((await call('PATCH', `/users/${foreign.id}`, { name: 'x' })).status).toBe(403);
    });
  });

  describe('deleteUser (soft delete)', () => {
    it('204, then status deleted with deletedAt; a second delete answers 403', async () => {
      const user = await create({ email: 'ada@example.com' });
      const session = api.addSession(user.id);
      const first = await call('DELETE', `/users/${user.id}`);
      expect(first.status).toBe(204);
      expect(first.body).toBeUndefined();

      const stored = api.users().find((u) => u.id === user.id);
      expect(stored?.status).toBe('deleted');
      expect(stored?.deletedAt).toEqual(expect.any(String));
      expect(api.sessions(user.id).find((s) => s.id === session.id)?.revokedAt).not.toBeNull();

      const second = await call<Record<string, string>>('DELETE', `/users/${user.id}`);
      expect(second.status).toBe(403);
      expect(second.body.code).toBe('user_deleted');
      expect((await call('GET', `/users/${user.id}`)).status).toBe(403);
    });

    it('404 unknown, 403 other environment', async () => {
      expect((await call('DELETE', `/users/${crypto.randomUUID()}`)).status).toBe(404);
      const foreign = api.addUser({ environmentId: crypto.randomUUID() });
      expect((await call('DELETE', `/users/${foreign.id}`)).status).toBe(403);
      expect(api.users().find((u) => u.id === foreign.id)?.status).toBe('active');
    });
  });

  describe('banUser / unbanUser', () => {
    it('ban revokes every session; unban makes the user active, sessions stay revoked', async () => {
      const user = await create();
      api.addSession(user.id);
      api.addSession(user.id);
      expect((await call<MockSession[]>('GET', `/users/${user.id}/sessions`)).body).toHaveLength(2);

      const banned = await call<MockUser>('POST', `/users/${user.id}/ban`);
      expect(banned.status).toBe(200);
      expect(banned.body.status).toBe('banned');
      expect((await call<MockSession[]>('GET', `/users/${user.id}/sessions`)).body).toEqual([]);

      const again = await call<MockUser>('POST', `/users/${user.id}/ban`);
      expect(again.body.status).toBe('banned');

      const unbanned = await call<MockUser>('POST', `/users/${user.id}/unban`);
      expect(unbanned.status).toBe(200);
      expect(unbanned.body.status).toBe('active');
      expect((await call<MockSession[]>('GET', `/users/${user.id}/sessions`)).body).toEqual([]);
    });

    it('unban leaves a user who is not banned as is', async () => {
      const pending = api.addUser({ status: 'pending_verification' });
      const answer = await call<MockUser>('POST', `/users/${pending.id}/unban`);
      expect(answer.body).toEqual(pending);
    });

    it.each(['ban', 'unban'])(
      '%s: 404 unknown, 403 other environment or deleted',
      async (action) => {
        expect((await call('POST', `/users/${crypto.randomUUID()}/${action}`)).status).toBe(404);
        const foreign = api.addUser({ environmentId: crypto.randomUUID() });
        expect((await call('POST', `/users/${foreign.id}/${action}`)).status).toBe(403);
        const deleted = api.addUser({ status: 'deleted' });
        expect((await call('POST', `/users/${deleted.id}/${action}`)).status).toBe(403);
      },
    );
  });

  describe('sessions', () => {
    it('lists only active sessions, most recently used first', async () => {
      const user = await create();
      const now = Date.now();
      const old = api.addSession(user.id, { lastUsedAt: new Date(now - 60_000) });
      const recent = api.addSession(user.id, {
        lastUsedAt: new Date(now - 1_000),
        userAgent: null,
        ipAddress: null,
      });
      api.addSession(user.id, { revoked: true });
      api.addSession(user.id, {
        createdAt: new Date(now - 10 * 86_400_000),
        expiresAt: new Date(now - 1000),
      });
      const answer = await call<MockSession[]>('GET', `/users/${user.id}/sessions`);
      expect(answer.status).toBe(200);
      expect(answer.body.map((s) => s.id)).toEqual([recent.id, old.id]);
      expect(answer.body[0]).toEqual(recent);
      expect(recent).toMatchObject({
        userId: user.id,
        environmentId: api.environmentId,
        userAgent: null,
      });
    });

    it('a session expires with time (fake clock)', async () => {
      const user = await create();
      vi.useFakeTimers({ toFake: ['Date'] });
      const start = Date.now();
      api.addSession(user.id, { expiresAt: new Date(start + 3_600_000) });
      expect((await call<MockSession[]>('GET', `/users/${user.id}/sessions`)).body).toHaveLength(1);
      vi.setSystemTime(start + 3_600_000);
      expect((await call<MockSession[]>('GET', `/users/${user.id}/sessions`)).body).toHaveLength(0);
    });

    it('revoke one: 204, idempotent, also for an unknown session', async () => {
      const user = await create();
      const keep = api.addSession(user.id);
      const drop = api.addSession(user.id);
      for (let i = 0; i < 2; i++) {
        expect((await call('DELETE', `/users/${user.id}/sessions/${drop.id}`)).status).toBe(204);
      }
      expect(
        (await call('DELETE', `/users/${user.id}/sessions/${crypto.randomUUID()}`)).status,
      ).toBe(204);
      const left = await call<MockSession[]>('GET', `/users/${user.id}/sessions`);
      expect(left.body.map((s) => s.id)).toEqual([keep.id]);
    });

    it("revoke one: 403 for another user's or environment's session", async () => {
      const alice = await create();
      const bob = await create();
      const bobs = api.addSession(bob.id);
      const answer = await call<Record<string, string>>(
        'DELETE',
        `/users/${alice.id}/sessions/${bobs.id}`,
      );
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('session_not_owned');
      const foreign = api.addUser({ environmentId: crypto.randomUUID() });
      const foreignSession = api.addSession(foreign.id);
      expect(
        (await call('DELETE', `/users/${foreign.id}/sessions/${foreignSession.id}`)).status,
      ).toBe(403);
      expect(
        (await call('DELETE', `/users/${alice.id}/sessions/${foreignSession.id}`)).status,
      ).toBe(403);
      expect(api.sessions(bob.id)[0]?.revokedAt).toBeNull();
    });

    it('revoke all: 204, idempotent', async () => {
      const user = await create();
      api.addSession(user.id);
      api.addSession(user.id);
      for (let i = 0; i < 2; i++) {
        expect((await call('DELETE', `/users/${user.id}/sessions`)).status).toBe(204);
      }
      expect((await call<MockSession[]>('GET', `/users/${user.id}/sessions`)).body).toEqual([]);
    });

    it('403 for a user of another environment', async () => {
      const foreign = api.addUser({ environmentId: crypto.randomUUID() });
      api.addSession(foreign.id);
      expect((await call('GET', `/users/${foreign.id}/sessions`)).status).toBe(403);
      expect((await call('DELETE', `/users/${foreign.id}/sessions`)).status).toBe(403);
      expect(api.sessions(foreign.id)[0]?.revokedAt).toBeNull();
    });

    it('an unknown user has no sessions (the spec lists no 404 here)', async () => {
      const id = crypto.randomUUID();
      expect((await call<MockSession[]>('GET', `/users/${id}/sessions`)).body).toEqual([]);
      expect((await call('DELETE', `/users/${id}/sessions`)).status).toBe(204);
    });
  });

  describe('searchUsers', () => {
    interface Page {
      items: MockUser[];
      nextCursor: string | null;
      hasMore: boolean;
    }
    const search = (body: unknown = {}, query = '') =>
      call<Page>('POST', `/users/search${query}`, body);

    it('pages by 20 by default with a stable cursor (the last id), and no gaps or repeats', async () => {
      const created: string[] = [];
      for (let i = 0; i < 45; i++) created.push((await create({ name: `user ${i}` })).id);
      const first = await search();
      expect(first.body.items).toHaveLength(20);
      expect(first.body.hasMore).toBe(true);
      expect(first.body.nextCursor).toBe(first.body.items[19]?.id);

      // a user created between pages shows up at the end, not in the middle
      created.push((await create({ name: 'late' })).id);
      const seen: string[] = first.body.items.map((u) => u.id);
      let cursor = first.body.nextCursor;
      while (cursor !== null) {
        const page = await search({}, `?cursor=${cursor}`);
        seen.push(...page.body.items.map((u) => u.id));
        expect(page.body.hasMore).toBe(page.body.nextCursor !== null);
        cursor = page.body.nextCursor;
      }
      expect(seen).toEqual(created);
    });

    it('limit: honoured, clamped to the maximum, 400 when not a positive integer', async () => {
      for (let i = 0; i < 3; i++) await create();
      const two = await search({}, '?limit=2');
      expect(two.body.items).toHaveLength(2);
      const last = await search({}, `?limit=2&cursor=${two.body.nextCursor}`);
      expect(last.body).toMatchObject({ nextCursor: null, hasMore: false });
      expect(last.body.items).toHaveLength(1);

      const small = await createMockToriiApi({ listen: false, maxPageSize: 2 });
      small.addUser();
      small.addUser();
      small.addUser();
      const clamped = await contract.wrap(small.fetch)(
        `${small.url}/api/server/v1/users/search?limit=50`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${small.secretKey}` },
        },
      );
      expect(((await clamped.json()) as Page).items).toHaveLength(2);

      for (const limit of ['0', '-1', 'ten', '1.5']) {
        const answer = await search({}, `?limit=${limit}`);
        expect(answer.status).toBe(400);
      }
    });

    it('400 for a cursor this API did not give', async () => {
      const foreign = api.addUser({ environmentId: crypto.randomUUID() });
      for (const cursor of [crypto.randomUUID(), foreign.id]) {
        const answer = await call<Record<string, string>>(
          'POST',
          `/users/search?cursor=${cursor}`,
          {},
        );
        expect(answer.status).toBe(400);
        expect(answer.body.code).toBe('invalid_cursor');
      }
    });

    it('name and email: case-insensitive substring; null requires null', async () => {
      const ada = api.addUser({ name: 'Ada Lovelace', email: 'ada@example.com' });
      const grace = api.addUser({ name: 'Grace Hopper', email: 'grace@navy.mil' });
      const anonymous = api.addUser({ name: null, email: null });
      const ids = async (body: unknown) => (await search(body)).body.items.map((u) => u.id);
      expect(await ids({ name: 'LOVE' })).toEqual([ada.id]);
      expect(await ids({ email: '@EXAMPLE.com' })).toEqual([ada.id]);
      expect(await ids({ name: 'a', email: 'navy' })).toEqual([grace.id]);
      expect(await ids({ name: null })).toEqual([anonymous.id]);
      expect(await ids({ email: null })).toEqual([anonymous.id]);
      expect(await ids({})).toEqual([ada.id, grace.id, anonymous.id]);
    });

    it('statuses: any of; deleted users only when asked for; null is refused', async () => {
      const active = api.addUser();
      const banned = api.addUser({ status: 'banned' });
      const pending = api.addUser({ status: 'pending_verification' });
      const deleted = api.addUser({ status: 'deleted' });
      const ids = async (body: unknown) => (await search(body)).body.items.map((u) => u.id);
      expect(await ids({})).toEqual([active.id, banned.id, pending.id]);
      expect(await ids({ statuses: ['banned', 'deleted'] })).toEqual([banned.id, deleted.id]);
      expect(await ids({ statuses: [] })).toEqual([]);
      expect((await search({ statuses: null })).status).toBe(400);
      expect((await search({ statuses: ['gone'] })).status).toBe(400);
      expect((await search({ statuses: ['active', 'active'] })).status).toBe(400);
    });

    it('createdAfter / createdBefore are inclusive; null skips; a bad date is 400', async () => {
      const jan = api.addUser({ createdAt: '2026-01-01T00:00:00Z' });
      const feb = api.addUser({ createdAt: '2026-02-01T00:00:00Z' });
      const mar = api.addUser({ createdAt: '2026-03-01T00:00:00Z' });
      const ids = async (body: unknown) => (await search(body)).body.items.map((u) => u.id);
      expect(await ids({ createdAfter: '2026-02-01T00:00:00Z' })).toEqual([feb.id, mar.id]);
      expect(await ids({ createdBefore: '2026-02-01T00:00:00.000Z' })).toEqual([jan.id, feb.id]);
      expect(
        await ids({
          createdAfter: '2026-01-01T00:00:00+00:00',
          createdBefore: '2026-01-31T23:59:59Z',
        }),
      ).toEqual([jan.id]);
      expect(await ids({ createdAfter: null, createdBefore: null })).toEqual([
        jan.id,
        feb.id,
        mar.id,
      ]);
      expect((await search({ createdAfter: 'yesterday' })).status).toBe(400);
      expect((await search({ createdBefore: '2026-02-30T00:00:00Z' })).status).toBe(400);
    });

    it('createdAfter / createdBefore take years 0000–0099 as they are', async () => {
      const ancient = api.addUser({ createdAt: '0050-06-15T12:00:00Z' });
      const first = api.addUser({ createdAt: '0001-01-01T00:00:00Z' });
      const modern = api.addUser({ createdAt: '1950-06-15T12:00:00Z' });
      expect(ancient.createdAt).toBe('0050-06-15T12:00:00.000Z');
      const ids = async (body: unknown) => (await search(body)).body.items.map((u) => u.id);
      expect(await ids({ createdAfter: '0000-01-01T00:00:00Z' })).toEqual([
        first.id,
        ancient.id,
        modern.id,
      ]);
      expect(await ids({ createdBefore: '0099-12-31T23:59:59Z' })).toEqual([first.id, ancient.id]);
      expect(
        await ids({ createdAfter: '0001-01-01T00:00:01Z', createdBefore: '0100-01-01T00:00:00Z' }),
      ).toEqual([ancient.id]);
      // Not read as 1950: the user of 1950 is after it, the one of year 50 is not.
      expect(await ids({ createdAfter: '0050-06-15T12:00:01Z' })).toEqual([modern.id]);
      expect(await ids({ createdBefore: '0004-02-29T00:00:00+00:00' })).toEqual([first.id]);
      expect((await search({ createdAfter: '0004-02-30T00:00:00Z' })).status).toBe(400);
      expect((await search({ createdBefore: '0100-02-29T00:00:00Z' })).status).toBe(400);
    });

    it('orders by createdAt, then creation order; other environments never appear', async () => {
      const later = api.addUser({ createdAt: '2026-05-01T00:00:00Z' });
      const earlier = api.addUser({ createdAt: '2026-04-01T00:00:00Z' });
      api.addUser({ environmentId: crypto.randomUUID() });
      const page = await search();
      expect(page.body.items.map((u) => u.id)).toEqual([earlier.id, later.id]);
    });

    it('the body is optional; JSON null means no filters', async () => {
      api.addUser();
      expect((await call<Page>('POST', '/users/search')).body.items).toHaveLength(1);
      expect((await search('null')).body.items).toHaveLength(1);
      expect((await search('[1]')).status).toBe(400);
    });
  });
});

describe('mock torii API: routes, helpers, lifecycle', () => {
  let api: MockToriiApi;
  beforeEach(async () => {
    api = await createMockToriiApi({ listen: false });
  });
  const auth = () => ({ authorization: `Bearer ${api.secretKey}` });

  it('404 problem for an unknown route, 405 with Allow for a wrong method', async () => {
    const unknown = await api.fetch(`${api.url}/api/server/v2/users`, { headers: auth() });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as Record<string, string>).code).toBe('route_not_found');
    const wrong = await api.fetch(`${api.url}/api/server/v1/users`, { headers: auth() });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('failNext answers the next requests with a failure, then recovers', async () => {
    const user = api.addUser();
    api.failNext({ status: 503, headers: { 'retry-after': '1' }, times: 2 });
    const url = `${api.url}/api/server/v1/users/${user.id}`;
    for (let i = 0; i < 2; i++) {
      const failed = await api.fetch(url, { headers: auth() });
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe('1');
      expect(failed.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await api.fetch(url, { headers: auth() })).status).toBe(200);
    expect(() => api.failNext({ status: 200 })).toThrow(/400-599/);
  });

  it('records requests without their headers', async () => {
    await api.fetch(`${api.url}/api/server/v1/users/search?limit=5`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(api.requests).toEqual([
      { method: 'POST', path: '/api/server/v1/users/search?limit=5', body: { name: 'Ada' } },
    ]);
    expect(JSON.stringify(api.requests)).not.toContain(api.secretKey);
  });

  it('reset forgets users, sessions, requests and failures', async () => {
    const user = api.addUser();
    api.addSession(user.id);
    api.failNext({ status: 500 });
    await api.fetch(`${api.url}/api/server/v1/users/${user.id}`, { headers: auth() });
    api.failNext({ status: 500 });
    api.reset();
    expect(api.users()).toEqual([]);
    expect(api.sessions(user.id)).toEqual([]);
    expect(api.requests).toEqual([]);
    const after = await api.fetch(`${api.url}/api/server/v1/users/${user.id}`, { headers: auth() });
    expect(after.status).toBe(404);
  });

  it('addUser / addSession check their input', () => {
    expect(() => api.addUser({ email: 'nope' })).toThrow(/not an email address/);
    api.addUser({ email: 'ada@example.com' });
    expect(() => api.addUser({ email: 'ADA@example.com' })).toThrow(/already taken/);
    expect(() => api.addUser({ locale: 'fr' as 'en' })).toThrow(/unknown locale/);
    expect(() => api.addUser({ createdAt: 'last week' })).toThrow(/ISO date-time/);
    expect(api.addUser({ dateOfBirth: '0001-01-01' }).dateOfBirth).toBe('0001-01-01');
    expect(() => api.addUser({ dateOfBirth: '0004-02-30' })).toThrow(/YYYY-MM-DD/);
    expect(api.addUser({ createdAt: '0099-12-31T23:00:00-01:00' }).createdAt).toBe(
      '0100-01-01T00:00:00.000Z',
    );
    // An instant before year 0000 in UTC has no four-digit year to be written with.
    expect(() => api.addUser({ createdAt: '0000-01-01T00:00:00+01:00' })).toThrow(/0000/);
    expect(() =>
      api.addUser({ createdAt: new Date(Date.parse('0000-01-01T00:00:00Z') - 1) }),
    ).toThrow(/0000/);
    expect(() => api.addSession(crypto.randomUUID())).toThrow(/Call addUser first/);
    const deleted = api.addUser({ status: 'deleted' });
    expect(deleted.deletedAt).toEqual(expect.any(String));
  });

  it('options are checked', async () => {
    await expect(createMockToriiApi({ secretKey: 'has space' })).rejects.toThrow(/whitespace/);
    await expect(createMockToriiApi({ maxPageSize: 0 })).rejects.toThrow(/maxPageSize/);
    await expect(createMockToriiApi({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    const custom = await createMockToriiApi({
      listen: false,
      secretKey: 'sk_test_fixed',
      environmentId: 'env-1',
    });
    expect(custom).toMatchObject({ secretKey: 'sk_test_fixed', environmentId: 'env-1' });
  });

  afterAll(async () => {
    await api.close();
  });
});
