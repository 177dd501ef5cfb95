import { ToriiApiError, ToriiClient } from '@torii/core';
import { createMockToriiApi, type MockToriiApi } from '@torii/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let api: MockToriiApi;
let torii: ToriiClient;

beforeAll(async () => {
  api = await createMockToriiApi(); // in-memory server API on http://127.0.0.1:<free port>
  torii = new ToriiClient({ secretKey: api.secretKey, apiUrl: api.url });
  // or, without any socket: new ToriiClient({ secretKey: api.secretKey, apiUrl: api.url, fetch: api.fetch })
});

afterAll(() => api.close());

it('manages users and sessions', async () => {
  const ada = await torii.users.create({ email: 'ada@example.com', name: 'Ada' });
  await torii.users.update(ada.id, { locale: 'da', name: null }); // null clears, absent leaves alone

  api.addSession(ada.id, { userAgent: 'curl/8' }); // seed state the API cannot create
  expect(await torii.sessions.listForUser(ada.id)).toHaveLength(1);

  await torii.users.ban(ada.id); // revokes every session
  expect(await torii.sessions.listForUser(ada.id)).toEqual([]);

  const page = await torii.users.list({ email: '@EXAMPLE.com', statuses: ['banned'] });
  expect(page.items.map((u) => u.id)).toEqual([ada.id]);
});

it('answers errors as problem+json', async () => {
  const error = await torii.users.create({ email: 'ADA@example.com' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ToriiApiError);
  expect(error).toMatchObject({ status: 409, code: 'email_taken' }); // emails are unique, any case

  // plain HTTP works too
  const res = await fetch(`${api.url}/api/server/v1/users/search`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk_test_wrong' },
  });
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(await res.json()).toMatchObject({ status: 401, code: 'secret_key_invalid' });
});
