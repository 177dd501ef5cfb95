/**
 * Test support (not exported, not bundled): a real `node:http` server on 127.0.0.1 that
 * implements the operations of `spec/server-v1.json` in memory, records every request (method,
 * path, query, headers, exact body bytes), and injects faults on demand.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ToriiSession, ToriiUser, ToriiUserStatus } from '../src/client/types.js';

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** The path exactly as sent, percent-encoding intact. */
  path: string;
  /** The query string as sent, without `?` (empty when none). */
  rawQuery: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Exact body bytes. */
  body: Buffer;
  /** `Date.now()` when the request arrived. */
  at: number;
}

/** A fault served instead of (or after) the normal answer of the next request. */
export type Fault =
  | {
      kind: 'status';
      status: number;
      headers?: Record<string, string>;
      body?: string;
      contentType?: string;
    }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'reset-after-handling' };

export interface FakeApiServer {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  secretKey: string;
  requests: RecordedRequest[];
  users: Map<string, ToriiUser>;
  sessions: Map<string, ToriiSession>;
  /** Queue faults; each is used by one request, in order. */
  inject(...faults: Fault[]): void;
  seedUser(fields?: Partial<ToriiUser>): ToriiUser;
  seedSession(userId: string, fields?: Partial<ToriiSession>): ToriiSession;
  /** Resolves when the server has received `count` requests in total. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

const BASE = '/api/server/v1/users';
const STATUSES: readonly ToriiUserStatus[] = [
  'pending_verification',
  'active',
  'banned',
  'deleted',
];
const UPDATE_KEYS = ['name', 'phone', 'locale', 'address', 'dateOfBirth'] as const;
const CREATE_KEYS = ['email', 'password', 'name', 'phone', 'address', 'dateOfBirth'] as const;
const SEARCH_KEYS = ['name', 'email', 'statuses', 'createdAfter', 'createdBefore'] as const;
const ENVIRONMENT = '01931a72-0000-7000-8000-000000000000';

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly code?: string,
  ) {
    super(detail);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonBody(body: Buffer, required: boolean): Record<string, unknown> {
  if (body.length === 0) {
    if (required) throw new HttpProblem(400, 'Bad Request', 'A JSON body is required.');
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'Bad Request', 'The body is not valid JSON.');
  }
  if (!isRecord(parsed))
    throw new HttpProblem(400, 'Bad Request', 'The body must be a JSON object.');
  return parsed;
}

function onlyKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw new HttpProblem(400, 'Bad Request', `Unknown field ${key}.`);
  }
}

function nullableString(body: Record<string, unknown>, key: string): void {
  const value = body[key];
  if (value !== undefined && value !== null && typeof value !== 'string') {
    throw new HttpProblem(400, 'Bad Request', `${key} must be a string or null.`);
  }
}

function matchesText(actual: string | null | undefined, filter: unknown): boolean {
  if (filter === undefined) return true;
  if (filter === null) return actual === null || actual === undefined;
  return typeof actual === 'string' && actual.toLowerCase().includes(String(filter).toLowerCase());
}

/** Starts the fake server on 127.0.0.1, port 0. */
export async function startFakeApiServer(
  secretKey = 'sk_test_fake_0123456789',
): Promise<FakeApiServer> {
  const requests: RecordedRequest[] = [];
  const users = new Map<string, ToriiUser>();
  const sessions = new Map<string, ToriiSession>();
  const deleted = new Set<string>();
  const faults: Fault[] = [];
  const sockets = new Set<Socket>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let requestCounter = 0;

  const tick = (): string => {
    clock += 1000;
    return new Date(clock).toISOString();
  };

  function seedUser(fields: Partial<ToriiUser> = {}): ToriiUser {
    const at = tick();
    const user: ToriiUser = {
      id: randomUUID(),
      environmentId: ENVIRONMENT,
      name: null,
      phone: null,
      locale: null,
      address: null,
      dateOfBirth: null,
      status: 'active',
      createdAt: at,
      updatedAt: at,
      email: null,
      deletedAt: null,
      ...fields,
    };
    users.set(user.id, user);
    return user;
  }

  function seedSession(userId: string, fields: Partial<ToriiSession> = {}): ToriiSession {
    const at = tick();
    const session: ToriiSession = {
      id: randomUUID(),
      userId,
      environmentId: ENVIRONMENT,
      userAgent: 'Mozilla/5.0',
      ipAddress: '203.0.113.42',
      createdAt: at,
      expiresAt: new Date(clock + 7 * 86_400_000).toISOString(),
      lastUsedAt: at,
      ...fields,
    };
    sessions.set(session.id, session);
    return session;
  }

  function liveUser(rawId: string): ToriiUser {
    const id = decodeURIComponent(rawId);
    if (deleted.has(id)) {
      throw new HttpProblem(
        403,
        'Forbidden',
        'User belongs to a different environment.',
        'forbidden',
      );
    }
    const user = users.get(id);
    if (user === undefined)
      throw new HttpProblem(404, 'Not Found', 'No user with this id.', 'user_not_found');
    return user;
  }

  function route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Buffer,
  ): { status: number; json?: unknown } {
    if (method === 'POST' && path === BASE) {
      const input = parseJsonBody(body, true);
      onlyKeys(input, CREATE_KEYS);
      for (const key of CREATE_KEYS) nullableString(input, key);
      const email = typeof input.email === 'string' ? input.email : null;
      if (email !== null && [...users.values()].some((u) => u.email === email)) {
        throw new HttpProblem(
          409,
          'Conflict',
          'Another user with this email already exists.',
          'email_taken',
        );
      }
      const user = seedUser({
        email,
        name: (input.name as string | null | undefined) ?? null,
        phone: (input.phone as string | null | undefined) ?? null,
        address: (input.address as string | null | undefined) ?? null,
        dateOfBirth: (input.dateOfBirth as string | null | undefined) ?? null,
      });
      return { status: 201, json: user };
    }
    if (method === 'POST' && path === `${BASE}/search`) {
      const filters = parseJsonBody(body, false);
      onlyKeys(filters, SEARCH_KEYS);
      const statuses = filters.statuses;
      if (
        statuses !== undefined &&
        (!Array.isArray(statuses) || statuses.some((s) => !STATUSES.includes(s)))
      ) {
        throw new HttpProblem(400, 'Bad Request', 'statuses must be an array of user statuses.');
      }
      const limit = query.has('limit') ? Number(query.get('limit')) : 20;
      if (!Number.isInteger(limit) || limit < 1)
        throw new HttpProblem(400, 'Bad Request', 'limit must be positive.');
      const matching = [...users.values()].filter(
        (u) =>
          !deleted.has(u.id) &&
          matchesText(u.name, filters.name) &&
          matchesText(u.email, filters.email) &&
          (statuses === undefined || (statuses as string[]).includes(u.status)) &&
          (typeof filters.createdAfter !== 'string' || u.createdAt >= filters.createdAfter) &&
          (typeof filters.createdBefore !== 'string' || u.createdAt <= filters.createdBefore),
      );
      let start = 0;
      const cursor = query.get('cursor');
      if (cursor !== null) {
        const index = matching.findIndex((u) => u.id === cursor);
        if (index === -1) throw new HttpProblem(400, 'Bad Request', 'Unknown cursor.');
        start = index + 1;
      }
      const items = matching.slice(start, start + limit);
      const hasMore = start + limit < matching.length;
      return {
        status: 200,
        json: { items, nextCursor: hasMore ? items.at(-1)?.id : null, hasMore },
      };
    }
    const sessionMatch = /^\/api\/server\/v1\/users\/([^/]+)\/sessions(?:\/([^/]+))?$/.exec(path);
    if (sessionMatch !== null) {
      const userId = decodeURIComponent(sessionMatch[1] ?? '');
      if (deleted.has(userId))
        throw new HttpProblem(403, 'Forbidden', 'User belongs to a different environment.');
      const sessionId =
        sessionMatch[2] === undefined ? undefined : decodeURIComponent(sessionMatch[2]);
      if (method === 'GET' && sessionId === undefined) {
        return {
          status: 200,
          json: [...sessions.values()].filter((s) => s.userId === userId).reverse(),
        };
      }
      if (method === 'DELETE' && sessionId === undefined) {
        for (const s of [...sessions.values()]) if (s.userId === userId) sessions.delete(s.id);
        return { status: 204 };
      }
      if (method === 'DELETE' && sessionId !== undefined) {
        const session = sessions.get(sessionId);
        if (session !== undefined && session.userId !== userId) {
          throw new HttpProblem(403, 'Forbidden', 'Session belongs to a different user.');
        }
        sessions.delete(sessionId);
        return { status: 204 };
      }
    }
    const actionMatch = /^\/api\/server\/v1\/users\/([^/]+)\/(ban|unban)$/.exec(path);
    if (actionMatch !== null && method === 'POST') {
      const user = liveUser(actionMatch[1] ?? '');
      user.status = actionMatch[2] === 'ban' ? 'banned' : 'active';
      user.updatedAt = tick();
      if (actionMatch[2] === 'ban') {
        for (const s of [...sessions.values()]) if (s.userId === user.id) sessions.delete(s.id);
      }
      return { status: 200, json: user };
    }
    const userMatch = /^\/api\/server\/v1\/users\/([^/]+)$/.exec(path);
    if (userMatch !== null) {
      const user = liveUser(userMatch[1] ?? '');
      if (method === 'GET') return { status: 200, json: user };
      if (method === 'PATCH') {
        const patch = parseJsonBody(body, true);
        onlyKeys(patch, UPDATE_KEYS);
        for (const key of UPDATE_KEYS) nullableString(patch, key);
        if (
          patch.locale !== undefined &&
          patch.locale !== null &&
          !['en', 'da'].includes(patch.locale as string)
        ) {
          throw new HttpProblem(400, 'Bad Request', 'locale must be en, da or null.');
        }
        Object.assign(user, patch, { updatedAt: tick() });
        return { status: 200, json: user };
      }
      if (method === 'DELETE') {
        user.status = 'deleted';
        user.deletedAt = tick();
        deleted.add(user.id);
        return { status: 204 };
      }
    }
    throw new HttpProblem(404, 'Not Found', `No route for ${method} ${path}.`);
  }

  function send(
    res: ServerResponse,
    status: number,
    body: string,
    contentType?: string,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      'x-request-id': `req_${requestCounter}`,
      ...(contentType === undefined ? {} : { 'content-type': contentType }),
      ...headers,
    });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const rawUrl = req.url ?? '/';
    const questionMark = rawUrl.indexOf('?');
    const path = questionMark === -1 ? rawUrl : rawUrl.slice(0, questionMark);
    const rawQuery = questionMark === -1 ? '' : rawUrl.slice(questionMark + 1);
    const params = new URLSearchParams(rawQuery);
    requestCounter++;
    requests.push({
      method: req.method ?? '',
      path,
      rawQuery,
      query: Object.fromEntries(params),
      headers: req.headers,
      body,
      at: Date.now(),
    });
    for (const waiter of [...waiters]) {
      if (requests.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }

    const fault = faults.shift();
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      send(res, fault.status, fault.body ?? '', fault.contentType, fault.headers);
      return;
    }

    let status: number;
    let payload = '';
    let contentType: string | undefined;
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      status = 401;
      contentType = 'application/problem+json';
      payload = JSON.stringify({
        type: 'https://torii.so/problems/unauthorized',
        title: 'Unauthorized',
        status: 401,
        detail: 'Missing or invalid secret key.',
        instance: path,
        code: 'invalid_secret_key',
      });
    } else {
      try {
        const result = route(req.method ?? '', path, params, body);
        status = result.status;
        if (result.json !== undefined) {
          contentType = 'application/json';
          payload = JSON.stringify(result.json);
        }
      } catch (error) {
        if (!(error instanceof HttpProblem)) throw error;
        status = error.status;
        contentType = 'application/problem+json';
        payload = JSON.stringify({
          type: 'about:blank',
          title: error.title,
          status: error.status,
          detail: error.detail,
          instance: path,
          ...(error.code === undefined
            ? {}
            : { properties: { code: error.code, supportId: `sup_${requestCounter}` } }),
        });
      }
    }
    if (fault?.kind === 'reset-after-handling') {
      req.socket.destroy();
      return;
    }
    send(res, status, payload, contentType);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, 500, String(error), 'text/plain');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    requests,
    users,
    sessions,
    inject: (...more) => {
      faults.push(...more);
    },
    seedUser,
    seedSession,
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push({ count, resolve });
          }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
