/**
 * `createMockToriiApi()`: an in-memory torii server API, served on loopback and as an in-process
 * `fetch`, both backed by one store and one handler.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { type ServedHandler, serveFetchHandler } from '../http/serve-fetch-handler.js';
import { createApiHandler, type InjectedFailure } from './handle-request.js';
import { MockStore } from './store.js';
import type {
  AddSessionFields,
  AddUserFields,
  MockRequestRecord,
  MockSession,
  MockUser,
} from './types.js';

/** Page size of `searchUsers` when no `limit` is given. */
export const DEFAULT_PAGE_SIZE = 20;

/** Largest page `searchUsers` answers; larger `limit`s are clamped to it. */
export const DEFAULT_MAX_PAGE_SIZE = 100;

/** Options of {@link createMockToriiApi}. */
export interface MockToriiApiOptions {
  /** The secret key requests must carry. @default `sk_test_torii_dev_` + 32 random hex digits */
  secretKey?: string;
  /** The environment of this secret key. @default a random UUID */
  environmentId?: string;
  /** Port; `0` picks a free one. @default 0 */
  port?: number;
  /** Loopback host: `127.0.0.1`, `::1` or `localhost`. @default '127.0.0.1' */
  host?: string;
  /** Start the HTTP server. With `false`, use {@link MockToriiApi.fetch}. @default true */
  listen?: boolean;
  /** Largest page of `searchUsers`. @default 100 */
  maxPageSize?: number;
}

/** A failure the next requests answer with, to test a client's retries. */
export interface FailNextOptions {
  /** HTTP status, e.g. `429` or `503`. */
  status: number;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>;
  /** How many requests fail. @default 1 */
  times?: number;
}

/** A running mock torii server API. */
export interface MockToriiApi {
  /** Base URL to give a client as `apiUrl`, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** A `fetch` that answers in process, sharing the store with the HTTP server. */
  readonly fetch: typeof fetch;
  /** The secret key requests must send as `Authorization: Bearer <secretKey>`. */
  readonly secretKey: string;
  /** The environment every user created through the API belongs to. */
  readonly environmentId: string;
  /** Every request received, oldest first (method, path with query, parsed body; never headers). */
  readonly requests: readonly MockRequestRecord[];
  /** Add a user directly. `environmentId` of another environment makes a user the API answers 403 for. */
  addUser(fields?: AddUserFields): MockUser;
  /** Add a session to a user directly. */
  addSession(userId: string, fields?: AddSessionFields): MockSession;
  /** Every stored user, all environments and deleted ones included. */
  users(): MockUser[];
  /** Every stored session of a user, revoked and expired ones included, with `revokedAt`. */
  sessions(userId: string): Array<MockSession & { revokedAt: string | null }>;
  /** Answer the next request(s) with a failure (after the secret-key check). */
  failNext(options: FailNextOptions): void;
  /** Forget all users, sessions, recorded requests and pending failures. */
  reset(): void;
  /** Stop the HTTP server. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Start an in-memory torii server API.
 *
 * @example
 * ```ts
 * const api = await createMockToriiApi();
 * const res = await fetch(`${api.url}/api/server/v1/users`, {
 *   method: 'POST',
 *   headers: { authorization: `Bearer ${api.secretKey}`, 'content-type': 'application/json' },
 *   body: JSON.stringify({ email: 'ada@example.com' }),
 * });
 * res.status; // 201
 * await api.close();
 * ```
 */
export async function createMockToriiApi(options: MockToriiApiOptions = {}): Promise<MockToriiApi> {
  const secretKey = options.secretKey ?? `sk_test_torii_dev_${randomBytes(16).toString('hex')}`;
  if (secretKey.trim() === '' || /\s/.test(secretKey)) {
    throw new TypeError('torii testing: secretKey must be a non-empty string without whitespace.');
  }
  const maxLimit = options.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE;
  if (!Number.isInteger(maxLimit) || maxLimit < 1) {
    throw new RangeError(
      `torii testing: maxPageSize must be a positive integer (got ${String(maxLimit)}).`,
    );
  }
  const environmentId = options.environmentId ?? crypto.randomUUID();
  const store = new MockStore(environmentId);
  const requests: MockRequestRecord[] = [];
  const failures: InjectedFailure[] = [];
  const handler = createApiHandler({
    store,
    secretKey,
    paging: { defaultLimit: Math.min(DEFAULT_PAGE_SIZE, maxLimit), maxLimit },
    requests,
    failures,
  });

  let served: ServedHandler | undefined;
  if (options.listen !== false) {
    served = await serveFetchHandler(handler, { host: options.host, port: options.port ?? 0 });
  }
  const url = served?.origin ?? 'http://localhost';

  const inProcessFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    handler(new Request(input, init));

  return {
    url,
    fetch: inProcessFetch,
    secretKey,
    environmentId,
    requests,
    addUser: (fields) => store.addUser(fields),
    addSession: (userId, fields) => store.addSession(userId, fields),
    users: () => store.allUsers(),
    sessions: (userId) => store.allSessions(userId),
    failNext({ status, headers, times = 1 }) {
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new RangeError(
          `torii testing: failNext status must be 400-599 (got ${String(status)}).`,
        );
      }
      failures.push({ status, ...(headers === undefined ? {} : { headers }), remaining: times });
    },
    reset() {
      store.clear();
      requests.length = 0;
      failures.length = 0;
    },
    async close() {
      await served?.close();
    },
  };
}
