/**
 * The conformance suite: the same HTTP scenarios, asserted the same way, against every adapter.
 *
 * @module
 */
import type { VerifyOptions } from '@torii/core';
import { createTestIssuer } from '@torii/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConformanceResponse,
  closedLoopbackUrl,
  get,
  getRaw,
  getWithRepeatedHeader,
} from './http.js';
import { CONFORMANCE_COOKIE, HOOK_STATUS, PROTECTED_ROUTES } from './routes.js';
import { pathVariants } from './variants.js';

/** A running conformance app. */
export interface ConformanceApp {
  /** Base URL, like `http://127.0.0.1:PORT`. */
  url: string;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts a real server of the framework on 127.0.0.1, port 0, serving the routes of
 * {@link CONFORMANCE_ROUTES}, every guard built from `options` (spread into each guard's options).
 */
export type StartConformanceApp = (options: VerifyOptions) => Promise<ConformanceApp>;

type TestIssuer = Awaited<ReturnType<typeof createTestIssuer>>;
type ErrorCode = 'authentication_failed' | 'forbidden' | 'verification_unavailable';

const USER = { sub: 'user_conformance_1', pid: 'env_conformance_1' } as const;
const EXPECTED_USER = { userId: USER.sub, environmentId: USER.pid } as const;
const INVALID_TOKEN = /^Bearer error="invalid_token"/;

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Status, JSON content type, exact error body, and no trace of the token anywhere in the answer. */
function expectError(
  res: ConformanceResponse,
  status: number,
  code: ErrorCode,
  token?: string,
): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
  expect(res.body).toStrictEqual({ error: { code, message: expect.any(String) } });
  const { message } = (res.body as { error: { message: string } }).error;
  expect(message.length).toBeGreaterThan(0);
  if (token !== undefined && token.length > 0) {
    expect(res.text).not.toContain(token);
    for (const [, value] of res.headers) expect(value).not.toContain(token);
  }
}

function expectMissing(res: ConformanceResponse): void {
  expectError(res, 401, 'authentication_failed');
  expect(res.headers.get('www-authenticate')).toBe('Bearer');
}

function expectInvalid(res: ConformanceResponse, token: string): void {
  expectError(res, 401, 'authentication_failed', token);
  expect(res.headers.get('www-authenticate')).toMatch(INVALID_TOKEN);
}

/**
 * Registers the conformance suite (vitest `describe`/`it`) for one adapter. The suite starts its
 * own test issuer, calls `start({ issuer })` once for the main app and once more for an app whose
 * issuer is a closed loopback port (the outage scenarios), and closes everything afterwards.
 *
 * @example
 * ```ts
 * import { runConformanceSuite } from '@torii/conformance';
 * runConformanceSuite('express', startExpressConformanceApp);
 * ```
 */
export function runConformanceSuite(name: string, start: StartConformanceApp): void {
  describe(`conformance: ${name}`, () => {
    let issuer: TestIssuer;
    let app: ConformanceApp;

    beforeAll(async () => {
      issuer = await createTestIssuer();
      app = await start({ issuer: issuer.issuer });
    });

    afterAll(async () => {
      await app?.close();
      await issuer?.close();
    });

    const badTokens: ReadonlyArray<[string, () => Promise<string>]> = [
      ['expired', async () => issuer.sign(USER, { expired: true })],
      ['tampered', async () => issuer.sign(USER, { tampered: true })],
      ['garbage', async () => 'this-is.not-a.jwt'],
      ['from another issuer', async () => issuer.sign(USER, { issuer: 'http://127.0.0.1:9' })],
      ['signed under an unknown kid', async () => issuer.sign(USER, { kid: 'kid-nobody-has' })],
      ['not yet valid', async () => issuer.sign(USER, { notBefore: '10m' })],
      ['with alg none', async () => issuer.sign(USER, { alg: 'none' })],
      ['HMAC-signed with the public key', async () => issuer.sign(USER, { alg: 'HS256' })],
    ];

    describe('required auth (/protected)', () => {
      it('no token: 401, exact body, WWW-Authenticate "Bearer" without error attribute', async () => {
        expectMissing(await get(app.url, '/protected'));
      });

      it('a non-Bearer scheme counts as no token: 401 without error attribute', async () => {
        expectMissing(await get(app.url, '/protected', { authorization: 'Basic dXNlcjpwYXNz' }));
      });

      it.each(badTokens)('a token %s: 401 with error="invalid_token"', async (_, make) => {
        const token = await make();
        expectInvalid(await get(app.url, '/protected', bearer(token)), token);
      });

      it('a valid token: 200 and the handler sees userId and environmentId', async () => {
        const res = await get(app.url, '/protected', bearer(await issuer.sign(USER)));
        expect(res.status).toBe(200);
        expect(res.body).toStrictEqual(EXPECTED_USER);
      });

      it('an Authorization header sent twice (two valid tokens): 401 invalid_token', async () => {
        const first = await issuer.sign(USER);
        const second = await issuer.sign({ ...USER, sub: 'user_other' });
        const res = await getWithRepeatedHeader(app.url, '/protected', 'authorization', [
          `Bearer ${first}`,
          `Bearer ${second}`,
        ]);
        expectInvalid(res, first);
        expect(res.text).not.toContain(second);
      });

      it('the same token twice: 200 both times', async () => {
        const token = await issuer.sign(USER);
        for (let i = 0; i < 2; i += 1) {
          const res = await get(app.url, '/protected', bearer(token));
          expect(res.status).toBe(200);
          expect(res.body).toStrictEqual(EXPECTED_USER);
        }
      });
    });

    describe('optional auth (/optional)', () => {
      it('no token: 200 with auth null', async () => {
        const res = await get(app.url, '/optional');
        expect(res.status).toBe(200);
        expect(res.body).toStrictEqual({ auth: null });
      });

      it('a non-Bearer scheme: 200 with auth null', async () => {
        const res = await get(app.url, '/optional', { authorization: 'Basic dXNlcjpwYXNz' });
        expect(res.status).toBe(200);
        expect(res.body).toStrictEqual({ auth: null });
      });

      it('a valid token: 200 with the auth', async () => {
        const res = await get(app.url, '/optional', bearer(await issuer.sign(USER)));
        expect(res.status).toBe(200);
        expect(res.body).toStrictEqual({ auth: EXPECTED_USER });
      });

      it.each(badTokens)('a token %s: still 401 invalid_token', async (_, make) => {
        const token = await make();
        expectInvalid(await get(app.url, '/optional', bearer(token)), token);
      });
    });

    describe('authorize (/admin)', () => {
      it('authorize says no: 403 forbidden', async () => {
        const token = await issuer.sign({ ...USER, role: 'member' });
        expectError(await get(app.url, '/admin', bearer(token)), 403, 'forbidden', token);
      });

      it('authorize says yes: 200', async () => {
        const res = await get(
          app.url,
          '/admin',
          bearer(await issuer.sign({ ...USER, role: 'admin' })),
        );
        expect(res.status).toBe(200);
        expect(res.body).toStrictEqual({ ok: true });
      });

      it('no token: 401 before authorize runs', async () => {
        expectMissing(await get(app.url, '/admin'));
      });
    });

    describe('error hook (/hooked)', () => {
      it('replaces the 401 of a missing token', async () => {
        const res = await get(app.url, '/hooked');
        expect(res.status).toBe(HOOK_STATUS);
        expect(res.body).toStrictEqual({ replaced: true, status: 401 });
      });

      it('replaces the 401 of a bad token', async () => {
        const res = await get(
          app.url,
          '/hooked',
          bearer(await issuer.sign(USER, { expired: true })),
        );
        expect(res.status).toBe(HOOK_STATUS);
        expect(res.body).toStrictEqual({ replaced: true, status: 401 });
      });

      it('is not called for a valid token', async () => {
        const res = await get(app.url, '/hooked', bearer(await issuer.sign(USER)));
        expect(res.status).toBe(200);
      });
    });

    describe(`getToken from cookie ${CONFORMANCE_COOKIE} (/cookie)`, () => {
      it('a valid token in the cookie: 200', async () => {
        const token = await issuer.sign(USER);
        const res = await get(app.url, '/cookie', {
          cookie: `a=b; ${CONFORMANCE_COOKIE}=${token}`,
        });
        expect(res.status).toBe(200);
        expect(res.body).toStrictEqual(EXPECTED_USER);
      });

      it('no cookie: 401 without error attribute', async () => {
        expectMissing(await get(app.url, '/cookie', { cookie: 'a=b' }));
      });

      it('a bad token in the cookie: 401 invalid_token', async () => {
        const token = await issuer.sign(USER, { tampered: true });
        expectInvalid(
          await get(app.url, '/cookie', { cookie: `${CONFORMANCE_COOKIE}=${token}` }),
          token,
        );
      });

      it('getToken replaces the header: a valid Bearer header alone is not read', async () => {
        expectMissing(await get(app.url, '/cookie', bearer(await issuer.sign(USER))));
      });
    });

    describe('required auth on a group of routes (/api/me)', () => {
      it('no token: 401, exact body, WWW-Authenticate "Bearer"', async () => {
        expectMissing(await get(app.url, '/api/me'));
      });

      it('a bad token: 401 invalid_token', async () => {
        const token = await issuer.sign(USER, { tampered: true });
        expectInvalid(await get(app.url, '/api/me', bearer(token)), token);
      });

      it('a valid token: 200 with the user', async () => {
        const res = await get(app.url, '/api/me', bearer(await issuer.sign(USER)));
        expect(res.status).toBe(200);
        expect(res.body).toStrictEqual(EXPECTED_USER);
      });
    });

    // A router may take `/API/me`, `/api/%6De` or `//api/me` for `/api/me` while a guard bound by
    // path does not (or the reverse). Each spelling must be refused by the guard or routed
    // nowhere (404); never answered by the handler.
    describe('other spellings of every protected path, without a token', () => {
      it.each(PROTECTED_ROUTES)(
        '%s: each is refused (%i) or not found (404)',
        async (path, denied) => {
          const wrong: string[] = [];
          for (const target of pathVariants(path)) {
            const res = await getRaw(app.url, target);
            if (res.status === 404) continue;
            if (res.status === denied) {
              if (denied === 401) expectMissing(res);
              else expect(res.body).toStrictEqual({ replaced: true, status: 401 });
              continue;
            }
            wrong.push(`${target} → ${res.status} ${res.text.slice(0, 80)}`);
          }
          expect(wrong).toStrictEqual([]);
        },
      );
    });

    describe('issuer outage with nothing cached', () => {
      let down: ConformanceApp;
      let downIssuer: string;

      beforeAll(async () => {
        downIssuer = await closedLoopbackUrl();
        down = await start({ issuer: downIssuer, jwksCache: { timeoutMs: 500 } });
      });

      afterAll(async () => {
        await down?.close();
      });

      it('a token that needs keys: 503 verification_unavailable with Retry-After', async () => {
        const token = await issuer.sign(USER, { issuer: downIssuer });
        const res = await get(down.url, '/protected', bearer(token));
        expectError(res, 503, 'verification_unavailable', token);
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      });

      it('optional auth with a token: 503 too (an outage is not the user being signed out)', async () => {
        const token = await issuer.sign(USER, { issuer: downIssuer });
        const res = await get(down.url, '/optional', bearer(token));
        expectError(res, 503, 'verification_unavailable', token);
      });

      it('no token: still 401 (no keys needed to know that)', async () => {
        expectMissing(await get(down.url, '/protected'));
      });

      it('the error hook replaces the 503', async () => {
        const token = await issuer.sign(USER, { issuer: downIssuer });
        const res = await get(down.url, '/hooked', bearer(token));
        expect(res.status).toBe(HOOK_STATUS);
        expect(res.body).toStrictEqual({ replaced: true, status: 503 });
      });
    });
  });
}
