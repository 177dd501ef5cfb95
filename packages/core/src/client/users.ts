/**
 * `torii.users`: search, read, create, update, delete, ban and unban end users.
 *
 * @module
 */
import { ToriiError } from '../errors.js';
import type { HttpClient, Operation } from './http.js';
import { pathSegment } from './path.js';
import { asUser, asUserPage } from './response-shape.js';
import type {
  CreateUserInput,
  ListAllUsersParams,
  ListUsersParams,
  RequestOptions,
  ToriiUser,
  ToriiUserPage,
  UpdateUserInput,
} from './types.js';

const USERS = '/api/server/v1/users';

/** Operations on end users. Reach it as `torii.users`. */
export class ToriiUsers {
  readonly #http: HttpClient;

  /** @internal Built by {@link ToriiClient}. */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * One page of users matching the filters (`POST /api/server/v1/users/search`: `limit` and
   * `cursor` in the query, the filters in the JSON body, exactly the keys given). Filters are
   * tri-state: a value requires it, `null` requires null, absent skips it. Retried when it fails
   * transiently.
   *
   * @example
   * ```ts
   * const page = await torii.users.list({ limit: 50, statuses: ['active'], name: 'ada' });
   * const next = page.nextCursor ? await torii.users.list({ limit: 50, cursor: page.nextCursor }) : null;
   * ```
   */
  async list(params?: ListUsersParams, options?: RequestOptions): Promise<ToriiUserPage> {
    const { limit, cursor, ...filters } = params ?? {};
    return this.#search('users.list', limit, cursor ?? undefined, filters, options);
  }

  /**
   * Every user matching the filters, following `nextCursor` page by page. Lazy: a page is fetched
   * only when the previous one has been consumed, so `break` stops the requests. `limit` is the
   * page size.
   *
   * @example
   * ```ts
   * for await (const user of torii.users.listAll({ statuses: ['banned'], limit: 100 })) {
   *   console.log(user.id, user.email);
   * }
   * ```
   */
  async *listAll(
    params?: ListAllUsersParams,
    options?: RequestOptions,
  ): AsyncGenerator<ToriiUser, void, undefined> {
    const { limit, ...filters } = (params ?? {}) as ListUsersParams;
    delete filters.cursor;
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const page = await this.#search('users.listAll', limit, cursor, filters, options);
      yield* page.items;
      if (!page.hasMore || page.nextCursor === null) return;
      if (seen.has(page.nextCursor)) {
        throw new ToriiError(
          'torii: users.listAll: the server returned a cursor it had returned before; stopping to avoid an endless loop. Contact torii support.',
        );
      }
      seen.add(page.nextCursor);
      cursor = page.nextCursor;
    }
  }

  /**
   * One user by id (`GET /api/server/v1/users/{userId}`).
   *
   * @example
   * ```ts
   * const user = await torii.users.get('user_abc');
   * ```
   */
  async get(userId: string, options?: RequestOptions): Promise<ToriiUser> {
    const operation: Operation = {
      name: 'users.get',
      method: 'GET',
      path: `${USERS}/${pathSegment('users.get', 'userId', userId)}`,
      idempotent: true,
    };
    return asUser(operation, (await this.#http.request(operation, options)).data);
  }

  /**
   * Creates a user (`POST /api/server/v1/users`). Never retried once the request may have reached
   * the server (the API has no idempotency key, so a retry could create a duplicate); retried
   * only when the connection was never made.
   *
   * @example
   * ```ts
   * const user = await torii.users.create({ email: 'ada@example.com', name: 'Ada Lovelace' });
   * ```
   */
  async create(input?: CreateUserInput, options?: RequestOptions): Promise<ToriiUser> {
    const operation: Operation = {
      name: 'users.create',
      method: 'POST',
      path: USERS,
      body: input ?? {},
      idempotent: false,
    };
    return asUser(operation, (await this.#http.request(operation, options)).data);
  }

  /**
   * Tri-state partial update (`PATCH /api/server/v1/users/{userId}`): a value sets the field,
   * `null` clears it, an absent key or `undefined` leaves it alone. The body carries exactly the
   * keys given.
   *
   * @example
   * ```ts
   * await torii.users.update(userId, { name: 'Ada King', phone: null }); // set name, clear phone
   * ```
   */
  async update(
    userId: string,
    patch: UpdateUserInput,
    options?: RequestOptions,
  ): Promise<ToriiUser> {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw new ToriiError(
        'torii: users.update: patch must be an object of the fields to change, e.g. { name: "Ada" }.',
      );
    }
    const operation: Operation = {
      name: 'users.update',
      method: 'PATCH',
      path: `${USERS}/${pathSegment('users.update', 'userId', userId)}`,
      body: patch,
      idempotent: true,
    };
    return asUser(operation, (await this.#http.request(operation, options)).data);
  }

  /**
   * Soft-deletes a user (`DELETE /api/server/v1/users/{userId}`). The server answers 403 to a
   * second delete of the same user; when an earlier attempt of this call may have landed, that
   * 403 means done and the call resolves.
   *
   * @example
   * ```ts
   * await torii.users.delete(userId);
   * ```
   */
  async delete(userId: string, options?: RequestOptions): Promise<void> {
    await this.#http.request(
      {
        name: 'users.delete',
        method: 'DELETE',
        path: `${USERS}/${pathSegment('users.delete', 'userId', userId)}`,
        idempotent: true,
        forbiddenMeansDoneOnRetry: true,
      },
      options,
    );
  }

  /**
   * Bans a user and revokes all their sessions (`POST /api/server/v1/users/{userId}/ban`).
   *
   * @example
   * ```ts
   * const banned = await torii.users.ban(userId); // banned.status === 'banned'
   * ```
   */
  async ban(userId: string, options?: RequestOptions): Promise<ToriiUser> {
    return this.#userAction('ban', userId, options);
  }

  /**
   * Lifts a ban (`POST /api/server/v1/users/{userId}/unban`).
   *
   * @example
   * ```ts
   * const user = await torii.users.unban(userId); // user.status === 'active'
   * ```
   */
  async unban(userId: string, options?: RequestOptions): Promise<ToriiUser> {
    return this.#userAction('unban', userId, options);
  }

  async #userAction(
    action: 'ban' | 'unban',
    userId: string,
    options: RequestOptions | undefined,
  ): Promise<ToriiUser> {
    const name = `users.${action}`;
    const operation: Operation = {
      name,
      method: 'POST',
      path: `${USERS}/${pathSegment(name, 'userId', userId)}/${action}`,
      idempotent: true,
    };
    return asUser(operation, (await this.#http.request(operation, options)).data);
  }

  async #search(
    name: string,
    limit: number | undefined,
    cursor: string | undefined,
    filters: object,
    options: RequestOptions | undefined,
  ): Promise<ToriiUserPage> {
    const operation: Operation = {
      name,
      method: 'POST',
      path: `${USERS}/search`,
      query: { limit: limit === undefined ? undefined : String(limit), cursor },
      body: filters,
      idempotent: true,
    };
    return asUserPage(operation, (await this.#http.request(operation, options)).data);
  }
}
