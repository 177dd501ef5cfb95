/**
 * The mock server API as one Fetch handler: secret-key auth, routing of every operation in
 * `spec/server-v1.json`, JSON in and out, problem+json errors. Served over HTTP and in process.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiProblem, problemResponse } from './problem.js';
import type { MockStore } from './store.js';
import type { MockRequestRecord } from './types.js';
import {
  parseJsonObject,
  validateCreateUser,
  validateLimit,
  validateSearch,
  validateUpdateUser,
} from './validate-input.js';

/** The prefix of every operation. */
export const API_PREFIX = '/api/server/v1';

/** Paging of `searchUsers`. */
export interface PagingOptions {
  defaultLimit: number;
  maxLimit: number;
}

/** A failure the next requests answer with (to test retries). */
export interface InjectedFailure {
  status: number;
  headers?: Record<string, string>;
  remaining: number;
}

/** What the handler needs besides the request. */
export interface HandlerContext {
  store: MockStore;
  secretKey: string;
  paging: PagingOptions;
  requests: MockRequestRecord[];
  failures: InjectedFailure[];
}

type Route = (request: Request, params: string[], body: () => Promise<string>) => Promise<Response>;

/** Build the handler for `context`. */
export function createApiHandler(context: HandlerContext): (request: Request) => Promise<Response> {
  const { store } = context;
  const routes: Array<{ pattern: RegExp; methods: Record<string, Route> }> = [
    {
      pattern: /^\/users$/,
      methods: {
        POST: async (_req, _params, body) =>
          json(201, store.createUser(validateCreateUser(parseJsonObject(await body(), true)))),
      },
    },
    {
      pattern: /^\/users\/search$/,
      methods: {
        POST: async (req, _params, body) => {
          const query = new URL(req.url).searchParams;
          const limit = validateLimit(
            query.get('limit'),
            context.paging.defaultLimit,
            context.paging.maxLimit,
          );
          const cursor = query.get('cursor');
          const filters = validateSearch(parseJsonObject(await body(), false));
          return json(200, store.searchUsers(filters, limit, cursor === '' ? null : cursor));
        },
      },
    },
    {
      pattern: /^\/users\/([^/]+)$/,
      methods: {
        GET: async (_req, [id]) => json(200, store.getUser(id ?? '')),
        PATCH: async (_req, [id], body) => {
          const patch = validateUpdateUser(parseJsonObject(await body(), true));
          return json(200, store.updateUser(id ?? '', patch));
        },
        DELETE: async (_req, [id]) => {
          store.deleteUser(id ?? '');
          return noContent();
        },
      },
    },
    {
      pattern: /^\/users\/([^/]+)\/ban$/,
      methods: { POST: async (_req, [id]) => json(200, store.banUser(id ?? '')) },
    },
    {
      pattern: /^\/users\/([^/]+)\/unban$/,
      methods: { POST: async (_req, [id]) => json(200, store.unbanUser(id ?? '')) },
    },
    {
      pattern: /^\/users\/([^/]+)\/sessions$/,
      methods: {
        GET: async (_req, [id]) => json(200, store.listSessions(id ?? '')),
        DELETE: async (_req, [id]) => {
          store.revokeAllSessions(id ?? '');
          return noContent();
        },
      },
    },
    {
      pattern: /^\/users\/([^/]+)\/sessions\/([^/]+)$/,
      methods: {
        DELETE: async (_req, [userId, sessionId]) => {
          store.revokeSession(userId ?? '', sessionId ?? '');
          return noContent();
        },
      },
    },
  ];

  return async (request) => {
    const url = new URL(request.url);
    let bodyText: string | undefined;
    const body = async (): Promise<string> => {
      bodyText ??= await request.text();
      return bodyText;
    };
    try {
      if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
        throw notFound(url.pathname);
      }
      await record(context, request, url, body);
      checkSecretKey(request, context.secretKey);
      const failure = context.failures[0];
      if (failure !== undefined) {
        failure.remaining--;
        if (failure.remaining <= 0) context.failures.shift();
        throw new ApiProblem(
          failure.status,
          'injected_failure',
          `Failure injected by failNext() (status ${failure.status}).`,
          failure.headers,
        );
      }
      const path = url.pathname.slice(API_PREFIX.length);
      for (const { pattern, methods } of routes) {
        const match = pattern.exec(path);
        if (match === null) continue;
        const route = methods[request.method];
        if (route === undefined) {
          const allow = Object.keys(methods).join(', ');
          throw new ApiProblem(
            405,
            'method_not_allowed',
            `${request.method} is not allowed on ${url.pathname}. Allowed: ${allow}.`,
            { allow },
          );
        }
        const params = match.slice(1).map((part) => decodeSegment(part, url.pathname));
        return await route(request, params, body);
      }
      throw notFound(url.pathname);
    } catch (error) {
      if (error instanceof ApiProblem) return problemResponse(error);
      throw error;
    }
  };
}

async function record(
  context: HandlerContext,
  request: Request,
  url: URL,
  body: () => Promise<string>,
): Promise<void> {
  const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await body();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  context.requests.push({
    method: request.method,
    path: `${url.pathname}${url.search}`,
    body: parsed,
  });
}

function checkSecretKey(request: Request, secretKey: string): void {
  const header = request.headers.get('authorization');
  if (header === null || header.trim() === '') {
    throw new ApiProblem(
      401,
      'secret_key_missing',
      'Missing secret key. Send it as "Authorization: Bearer <secret key>".',
      { 'www-authenticate': 'Bearer' },
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null || !sameSecret(match[1] ?? '', secretKey)) {
    throw new ApiProblem(
      401,
      'secret_key_invalid',
      'Invalid secret key. Use the secret key of this environment (the mock prints it as secretKey).',
      { 'www-authenticate': 'Bearer error="invalid_token"' },
    );
  }
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function decodeSegment(segment: string, path: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw notFound(path);
  }
}

function notFound(path: string): ApiProblem {
  return new ApiProblem(
    404,
    'route_not_found',
    `No operation at ${path}. The torii server API lives under ${API_PREFIX}/users.`,
  );
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function noContent(): Response {
  return new Response(null, { status: 204 });
}
