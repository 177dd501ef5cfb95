import { describe, expectTypeOf, it } from 'vitest';
import type { components } from '../generated/server-v1.js';
import {
  type CreateUserInput,
  type ListUsersParams,
  ToriiClient,
  type ToriiSession,
  type ToriiUser,
  type ToriiUserPage,
  type UpdateUserInput,
  type UserSearchFilters,
} from './index.js';

declare const torii: ToriiClient;

describe('public aliases follow the generated types', () => {
  it('ToriiUser and ToriiSession are the spec schemas', () => {
    expectTypeOf<ToriiUser>().toEqualTypeOf<components['schemas']['UserResponse']>();
    expectTypeOf<ToriiSession>().toEqualTypeOf<components['schemas']['UserSessionResponse']>();
  });

  it('nullable enums accept null (the spec quirk in docs/ARCHITECTURE.md)', () => {
    expectTypeOf<ToriiUser['locale']>().toEqualTypeOf<'en' | 'da' | null | undefined>();
    expectTypeOf<UpdateUserInput['locale']>().toEqualTypeOf<'en' | 'da' | null | undefined>();
  });

  it('ids and cursors are plain strings, and a page always has nextCursor', () => {
    expectTypeOf<ToriiUser['id']>().toEqualTypeOf<string>();
    expectTypeOf<ToriiUserPage['nextCursor']>().toEqualTypeOf<string | null>();
    expectTypeOf<ToriiUserPage['items']>().toEqualTypeOf<ToriiUser[]>();
  });

  it('methods answer the aliases', () => {
    expectTypeOf(torii.users.get('u')).resolves.toEqualTypeOf<ToriiUser>();
    expectTypeOf(torii.users.list()).resolves.toEqualTypeOf<ToriiUserPage>();
    expectTypeOf(torii.users.listAll()).toMatchTypeOf<AsyncIterable<ToriiUser>>();
    expectTypeOf(torii.users.delete('u')).resolves.toBeVoid();
    expectTypeOf(torii.sessions.listForUser('u')).resolves.toEqualTypeOf<ToriiSession[]>();
    expectTypeOf(torii.sessions.revoke('u', 's')).resolves.toBeVoid();
  });
});

describe('update is tri-state and closed', () => {
  it('accepts a value, null, undefined and absence', () => {
    void torii.users.update('u', { name: 'Ada', phone: null, locale: null, address: undefined });
    void torii.users.update('u', { locale: 'da' });
    void torii.users.update('u', {});
  });

  it('rejects unknown fields', () => {
    // @ts-expect-error unknown field
    void torii.users.update('u', { nmae: 'Ada' });
    // @ts-expect-error status is not updatable (use ban/unban)
    void torii.users.update('u', { name: 'Ada', status: 'banned' });
    // @ts-expect-error a patch object is required
    void torii.users.update('u');
    const fine = { name: 'Ada', phone: null };
    void torii.users.update('u', fine);
  });

  it('rejects wrong value types and locales outside the enum', () => {
    // @ts-expect-error name is a string
    void torii.users.update('u', { name: 42 });
    // @ts-expect-error locale is en | da | null
    void torii.users.update('u', { locale: 'fr' });
  });
});

describe('create is closed', () => {
  it('accepts known fields, null and nothing', () => {
    void torii.users.create({ email: 'a@b.c', password: 'pw', dateOfBirth: null });
    void torii.users.create();
    expectTypeOf<CreateUserInput>().toHaveProperty('password');
  });

  it('rejects unknown fields', () => {
    // @ts-expect-error unknown field
    void torii.users.create({ email: 'a@b.c', role: 'admin' });
    // @ts-expect-error unknown field
    void torii.users.create({ email: 'a@b.c', emailVerified: true });
    // @ts-expect-error email is a string or null
    void torii.users.create({ email: 42 });
  });
});

describe('search filters are tri-state and closed', () => {
  it('accept values, null where the spec allows it, readonly statuses', () => {
    void torii.users.list({ name: null, email: 'x', createdAfter: null, limit: 10, cursor: null });
    const statuses = ['active', 'banned'] as const;
    void torii.users.list({ statuses });
    void torii.users.listAll({ email: null, limit: 100 });
    expectTypeOf<UserSearchFilters['name']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<ListUsersParams['cursor']>().toEqualTypeOf<string | null | undefined>();
  });

  it('reject null statuses, unknown statuses and unknown fields', () => {
    // @ts-expect-error statuses is not nullable
    void torii.users.list({ statuses: null });
    // @ts-expect-error not a user status
    void torii.users.list({ statuses: ['gone'] });
    // @ts-expect-error unknown filter
    void torii.users.list({ role: 'admin' });
    // @ts-expect-error phone is not a search filter
    void torii.users.list({ email: 'x', phone: '1' });
    // @ts-expect-error listAll has no cursor
    void torii.users.listAll({ cursor: 'c' });
    // @ts-expect-error unknown filter in listAll
    void torii.users.listAll({ nmae: 'x' });
  });
});

describe('signatures stay non-generic, so results can feed the next call in a loop', () => {
  it('a cursor loop and an update loop infer without annotations', async () => {
    let cursor: string | null = null;
    do {
      const page = await torii.users.list({ limit: 50, cursor });
      expectTypeOf(page).toEqualTypeOf<ToriiUserPage>();
      cursor = page.nextCursor;
    } while (cursor !== null);

    let name: string | null = null;
    for (let i = 0; i < 2; i++) {
      const user = await torii.users.update('u', { name });
      expectTypeOf(user).toEqualTypeOf<ToriiUser>();
      name = user.name ?? null;
    }
  });
});
