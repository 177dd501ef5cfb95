import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../test/fake-api-server.js';
import { ToriiError } from '../errors.js';
import { ToriiClient, type ToriiUser } from './index.js';

let api: FakeApiServer;
let torii: ToriiClient;
let seeded: ToriiUser[];

beforeEach(async () => {
  api = await startFakeApiServer();
  torii = new ToriiClient({ secretKey: api.secretKey, apiUrl: api.url, retryBaseMs: 1 });
  seeded = Array.from({ length: 5 }, (_, i) =>
    api.seedUser({ name: `User ${i}`, email: i === 2 ? null : `user${i}@example.com` }),
  );
});
afterEach(async () => {
  await api.close();
});

describe('users.list pagination', () => {
  it('follows nextCursor across pages until hasMore is false', async () => {
    const first = await torii.users.list({ limit: 2 });
    expect(first.items.map((u) => u.id)).toEqual([seeded[0]?.id, seeded[1]?.id]);
    expect(first.hasMore).toBe(true);
    expect(first.nextCursor).toBe(seeded[1]?.id);

    const second = await torii.users.list({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((u) => u.id)).toEqual([seeded[2]?.id, seeded[3]?.id]);
    const third = await torii.users.list({ limit: 2, cursor: second.nextCursor });
    expect(third.items.map((u) => u.id)).toEqual([seeded[4]?.id]);
    expect(third).toMatchObject({ hasMore: false, nextCursor: null });

    expect(api.requests.map((r) => r.rawQuery)).toEqual([
      'limit=2',
      `limit=2&cursor=${seeded[1]?.id}`,
      `limit=2&cursor=${seeded[3]?.id}`,
    ]);
  });

  it('turns an absent nextCursor into null', async () => {
    api.inject({
      kind: 'status',
      status: 200,
      contentType: 'application/json',
      body: '{"items":[],"hasMore":false}',
    });
    await expect(torii.users.list()).resolves.toEqual({
      items: [],
      hasMore: false,
      nextCursor: null,
    });
  });

  it('filters with null require null (tri-state)', async () => {
    const page = await torii.users.list({ email: null });
    expect(page.items.map((u) => u.id)).toEqual([seeded[2]?.id]);
    expect(api.requests[0]?.body.toString('utf8')).toBe('{"email":null}');
  });
});

describe('users.listAll', () => {
  it('yields every user across pages, sending the filters and page size on each page', async () => {
    const ids: string[] = [];
    for await (const user of torii.users.listAll({ limit: 2, statuses: ['active'] }))
      ids.push(user.id);
    expect(ids).toEqual(seeded.map((u) => u.id));
    expect(api.requests).toHaveLength(3);
    for (const request of api.requests) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/api/server/v1/users/search');
      expect(request.query.limit).toBe('2');
      expect(request.body.toString('utf8')).toBe('{"statuses":["active"]}');
    }
    expect(api.requests.map((r) => r.query.cursor)).toEqual([
      undefined,
      seeded[1]?.id,
      seeded[3]?.id,
    ]);
  });

  it('stops at the last page without an extra request', async () => {
    const ids: string[] = [];
    for await (const user of torii.users.listAll({ limit: 5 })) ids.push(user.id);
    expect(ids).toHaveLength(5);
    expect(api.requests).toHaveLength(1);
  });

  it('fetches lazily: nothing before iteration, the next page only when needed, nothing after return', async () => {
    const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
    const iterator = torii.users.listAll({ limit: 2 });
    await settle();
    expect(api.requests).toHaveLength(0);

    expect((await iterator.next()).value?.id).toBe(seeded[0]?.id);
    expect((await iterator.next()).value?.id).toBe(seeded[1]?.id);
    await settle();
    expect(api.requests).toHaveLength(1);

    expect((await iterator.next()).value?.id).toBe(seeded[2]?.id);
    expect(api.requests).toHaveLength(2);

    await iterator.return(undefined);
    await settle();
    expect(api.requests).toHaveLength(2);
    expect((await iterator.next()).done).toBe(true);
  });

  it('stops when hasMore is false even if the server also sends a cursor', async () => {
    api.inject({
      kind: 'status',
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ items: [seeded[0]], nextCursor: seeded[0]?.id, hasMore: false }),
    });
    const ids: string[] = [];
    for await (const user of torii.users.listAll()) ids.push(user.id);
    expect(ids).toEqual([seeded[0]?.id]);
    expect(api.requests).toHaveLength(1);
  });

  it('yields nothing for an empty result', async () => {
    const ids: string[] = [];
    for await (const user of torii.users.listAll({ name: 'nobody' })) ids.push(user.id);
    expect(ids).toEqual([]);
    expect(api.requests).toHaveLength(1);
  });

  it('stops with a ToriiError when the server repeats a cursor instead of looping forever', async () => {
    const page = (cursor: string) => ({
      kind: 'status' as const,
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ items: [seeded[0]], nextCursor: cursor, hasMore: true }),
    });
    api.inject(page('a'), page('b'), page('a'));
    const ids: string[] = [];
    const error = await (async () => {
      for await (const user of torii.users.listAll()) ids.push(user.id);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToriiError);
    expect((error as Error).message).toMatch(/cursor it had returned before/);
    expect(ids).toHaveLength(3);
    expect(api.requests).toHaveLength(3);
  });
});
