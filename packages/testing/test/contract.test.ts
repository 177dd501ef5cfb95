// Contract of the mock against spec/server-v1.json: the checker itself is shown to catch
// violations, and a sweep makes the mock produce every (operation, status) the spec declares,
// each response validated with Ajv 2020 + ajv-formats.
import { describe, expect, it } from 'vitest';
import { createMockToriiApi } from '../src/index.js';
import {
  createSpecAjv,
  normaliseNullableEnums,
  SpecContract,
  spec,
  UNDECLARED_STATUSES,
} from './support/spec-contract.js';

const USER = {
  id: '01931a73-8b00-7000-8000-000000000000',
  environmentId: '01931a72-0000-7000-8000-000000000000',
  email: null,
  name: null,
  phone: null,
  locale: null,
  address: null,
  dateOfBirth: null,
  status: 'active',
  createdAt: '2026-05-16T09:30:00Z',
  updatedAt: '2026-05-16T09:30:00Z',
  deletedAt: null,
};
const URL_OF_USER = `http://mock/api/server/v1/users/${USER.id}`;
const jsonResponse = (body: unknown, status = 200, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('the contract checker', () => {
  it('passes a valid UserResponse with a null locale (nullable-enum normalisation)', async () => {
    const checked = await new SpecContract().check('GET', URL_OF_USER, jsonResponse(USER));
    expect(checked).toEqual({ operationId: 'getUser', status: 200 });
  });

  it('the quirk is real: without normalisation, strict JSON Schema rejects locale null', () => {
    const ajv = createSpecAjv();
    const raw = (spec.components.schemas.UserResponse as { properties: Record<string, unknown> })
      .properties.locale;
    expect(ajv.validate(raw as object, null)).toBe(false);
    expect(ajv.validate(normaliseNullableEnums(raw) as object, null)).toBe(true);
    expect(ajv.validate(normaliseNullableEnums(raw) as object, 'fr')).toBe(false);
  });

  it.each([
    ['a bad enum value', { ...USER, locale: 'fr' }, /locale/],
    ['a non-UUID id', { ...USER, id: 'user_abc' }, /uuid/],
    ['a missing required field', { ...USER, status: undefined }, /status/],
    ['a bad date-time', { ...USER, createdAt: 'yesterday' }, /date-time/],
    ['a bad date', { ...USER, dateOfBirth: '1815-13-10' }, /date/],
  ])('rejects %s', async (_name, body, message) => {
    await expect(new SpecContract().check('GET', URL_OF_USER, jsonResponse(body))).rejects.toThrow(
      message,
    );
  });

  it('rejects an undeclared status, a body on 204 and a wrong content type', async () => {
    const contract = new SpecContract();
    await expect(contract.check('GET', URL_OF_USER, jsonResponse({}, 409))).rejects.toThrow(
      /does not declare/,
    );
    // fetch forbids building a 204 with a body; a misbehaving server can still send one
    const noContentWithBody = Object.defineProperty(new Response('{}'), 'status', { value: 204 });
    await expect(contract.check('DELETE', URL_OF_USER, noContentWithBody)).rejects.toThrow(
      /no body/,
    );
    await expect(
      contract.check('GET', URL_OF_USER, jsonResponse({ status: 404 }, 404, 'application/json')),
    ).rejects.toThrow(/content-type/);
    await expect(contract.check('GET', 'http://mock/nowhere', jsonResponse({}))).rejects.toThrow(
      /no operation/,
    );
  });
});

describe('the mock produces every response the spec declares, each one valid', () => {
  it('sweep', async () => {
    const api = await createMockToriiApi({ listen: false });
    const contract = new SpecContract();
    const send = contract.wrap(api.fetch);
    const good = { authorization: `Bearer ${api.secretKey}`, 'content-type': 'application/json' };
    const bad = { authorization: 'Bearer sk_test_wrong', 'content-type': 'application/json' };
    const base = `${api.url}/api/server/v1`;
    const call = (method: string, path: string, body?: unknown, headers = good) =>
      send(`${base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    const foreign = api.addUser({ environmentId: crypto.randomUUID() });
    const foreignSession = api.addSession(foreign.id);
    const unknown = crypto.randomUUID();
    const freshUser = () => api.addUser({ name: 'Ada', locale: 'da', dateOfBirth: '1815-12-10' });

    // createUser
    await call('POST', '/users', { email: 'ada@example.com', name: 'Ada' });
    await call('POST', '/users', { email: 'nope' });
    await call('POST', '/users', {}, bad);
    await call('POST', '/users', { email: 'ADA@example.com' });
    // searchUsers (+ the undeclared 400)
    await call('POST', '/users/search?limit=1', {});
    await call('POST', '/users/search', {}, bad);
    await call('POST', '/users/search', { statuses: null });
    // user operations: 2xx, 401, 403, 404, and 400 for PATCH
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { phone: null, locale: 'en' }],
      ['POST', '/ban', undefined],
      ['POST', '/unban', undefined],
      ['DELETE', '', undefined],
    ] as const) {
      await call(method, `/users/${freshUser().id}${suffix}`, body);
      await call(method, `/users/${freshUser().id}${suffix}`, body, bad);
      await call(method, `/users/${foreign.id}${suffix}`, body);
      await call(method, `/users/${unknown}${suffix}`, body);
    }
    await call('PATCH', `/users/${freshUser().id}`, { locale: 'fr' });
    // sessions: 2xx, 401, 403
    const withSessions = freshUser();
    const session = api.addSession(withSessions.id);
    await call('GET', `/users/${withSessions.id}/sessions`);
    await call('GET', `/users/${withSessions.id}/sessions`, undefined, bad);
    await call('GET', `/users/${foreign.id}/sessions`);
    await call('DELETE', `/users/${withSessions.id}/sessions/${session.id}`);
    await call('DELETE', `/users/${withSessions.id}/sessions/${session.id}`, undefined, bad);
    await call('DELETE', `/users/${withSessions.id}/sessions/${foreignSession.id}`);
    await call('DELETE', `/users/${withSessions.id}/sessions`);
    await call('DELETE', `/users/${withSessions.id}/sessions`, undefined, bad);
    await call('DELETE', `/users/${foreign.id}/sessions`);

    const declared = Object.values(spec.paths).flatMap((methods) =>
      Object.values(methods).flatMap((operation) =>
        Object.keys(operation.responses).map((status) => `${operation.operationId} ${status}`),
      ),
    );
    const extra = Object.entries(UNDECLARED_STATUSES).flatMap(([op, statuses]) =>
      Object.keys(statuses).map((status) => `${op} ${status}`),
    );
    const seen = new Set(contract.seen.map((c) => `${c.operationId} ${c.status}`));
    expect(declared).toHaveLength(36);
    expect([...seen].sort()).toEqual([...declared, ...extra].sort());
    await api.close();
  });
});
