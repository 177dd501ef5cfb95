/**
 * What every conformance app shares: the route table, the cookie the `/cookie` route reads, the
 * `authorize` rule of `/admin` and the answer the error hook of `/hooked` writes. Apps import these
 * so that the only thing that differs between them is the framework.
 *
 * @module
 */
import type { AuthDenied, ToriiAuth } from '@torii/core';

/**
 * The routes every conformance app serves (all `GET`, all JSON):
 * - `/protected`: required auth; 200 `{ userId, environmentId }`.
 * - `/optional`: optional auth; 200 `{ auth: { userId, environmentId } | null }`.
 * - `/admin`: required auth + `authorize: isAdmin`; 200 `{ ok: true }`.
 * - `/hooked`: required auth; the adapter's error hook answers {@link hookedAnswer}; 200 `{ userId, environmentId }`.
 * - `/cookie`: required auth; `getToken` reads {@link CONFORMANCE_COOKIE} via {@link tokenFromCookie}; 200 `{ userId, environmentId }`.
 * - `/api/me`: required auth put once on a group of routes under the prefix `/api`, the framework's
 *   way (a router, scope, sub-app or controller whose middleware or guard covers every route in
 *   it), not on the route itself; 200 `{ userId, environmentId }`.
 * - `/checked`: required auth, then the adapter's route-level check with {@link isAdmin} (Express,
 *   Hono, Koa: `authorize(isAdmin)` after `requireAuth`; Fastify: route config
 *   `{ torii: { authorize: isAdmin } }`; Nest: `@Authorize(isAdmin)`); 200 `{ ok: true }`.
 * - `/optional-checked`: optional auth, then the route-level check with {@link isAdmin} (Fastify:
 *   `preHandler: authorize(isAdmin)` in an optional scope; Nest: `@OptionalAuth()` and
 *   `@Authorize(isAdmin)`); 200 `{ ok: true }`.
 */
export const CONFORMANCE_ROUTES = [
  '/protected',
  '/optional',
  '/admin',
  '/hooked',
  '/cookie',
  '/api/me',
  '/checked',
  '/optional-checked',
] as const;

/** The cookie the `/cookie` route reads its token from. */
export const CONFORMANCE_COOKIE = 'torii_token';

/** The status the `/hooked` route's error hook answers with. */
export const HOOK_STATUS = 418;

/**
 * The routes of {@link CONFORMANCE_ROUTES} that refuse a request without a token, each with the
 * status of that refusal (401, or {@link HOOK_STATUS} where the error hook answers).
 */
export const PROTECTED_ROUTES: ReadonlyArray<readonly [path: string, deniedStatus: number]> = [
  ['/protected', 401],
  ['/admin', 401],
  ['/hooked', HOOK_STATUS],
  ['/cookie', 401],
  ['/api/me', 401],
  ['/checked', 401],
  ['/optional-checked', 401],
];

/** The JSON a route answers with when it got a user: the two ids, nothing else. */
export interface ConformanceUser {
  userId: string;
  environmentId: string;
}

/**
 * The body of `/protected`, `/hooked`, `/cookie`, `/api/me` and (when a token came) of
 * `/optional`'s `auth`.
 *
 * @example
 * ```ts
 * app.get('/protected', requireAuth(options), (req, res) => res.json(userBody(getAuth(req))));
 * ```
 */
export function userBody(auth: ToriiAuth): ConformanceUser {
  return { userId: auth.userId, environmentId: auth.environmentId };
}

/**
 * The `authorize` rule of `/admin` and the route-level check of `/checked` and
 * `/optional-checked`: only tokens with the custom claim `role: "admin"` pass.
 */
export function isAdmin(auth: ToriiAuth): boolean {
  return auth.raw.role === 'admin';
}

/** What the `/hooked` route's error hook answers instead of the denial: 418 and the original status. */
export function hookedAnswer(denied: AuthDenied): {
  status: typeof HOOK_STATUS;
  body: { replaced: true; status: number };
} {
  return { status: HOOK_STATUS, body: { replaced: true, status: denied.status } };
}

/**
 * Reads one cookie from a `Cookie` header (the `getToken` of `/cookie`). Returns `null` when the
 * header or the cookie is absent. Values are URL-decoded when they can be.
 *
 * @example
 * ```ts
 * getToken: (req) => tokenFromCookie(req.headers.cookie)
 * ```
 */
export function tokenFromCookie(
  cookieHeader: string | null | undefined,
  name: string = CONFORMANCE_COOKIE,
): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return null;
}
