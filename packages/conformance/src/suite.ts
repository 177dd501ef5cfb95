/**
 * The conformance suite: the same HTTP scenarios, asserted the same way, against every adapter.
 *
 * @module
 */
import { FORBIDDEN_MESSAGE, type VerifyOptions } from '@torii/core';
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
import { countSignatureChecks } from './signature-checks.js';
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
 * Called three times: the main app, an app with `tokenCache: false` (verifications are counted)
 * and an app whose issuer is down.
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

/** Core's exact 403: the standard body and message, no `WWW-Authenticate`. */
function expectForbidden(res: ConformanceResponse, token: string): void {
  expectError(res, 403, 'forbidden', token);
  expect(res.body).toStrictEqual({ error: { code: 'forbidden', message: FORBIDDEN_MESSAGE } });
  expect(res.headers.get('www-authenticate')).toBeNull();
}

function expectOk(res: ConformanceResponse): void {
  expect(res.status).toBe(200);
  expect(res.body).toStrictEqual({ ok: true });
}

/**
 * Registers the conformance suite (vitest `describe`/`it`) for one adapter. The suite starts its
 * own test issuer, calls `start({ issuer })` for the main app, `start({ issuer, tokenCache: false })`
 * for the app whose signature checks it counts (each request's token is verified once), and
 * `start(…)` for an app whose issuer is a closed loopback port (the outage scenarios), and closes
 * everything afterwards.
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

    describe('route-level check after required auth (/checked)', () => {
      it('the check says no: core’s exact 403, body and headers', async () => {
        const token = await issuer.sign({ ...USER, role: 'member' });
        expectForbidden(await get(app.url, '/checked', bearer(token)), token);
      });

      it('the check says yes: 200', async () => {
        const token = await issuer.sign({ ...USER, role: 'admin' });
        expectOk(await get(app.url, '/checked', bearer(token)));
      });

      it('no token: 401 from the auth before it, the check never runs', async () => {
        expectMissing(await get(app.url, '/checked'));
      });

      it('a bad token: 401 invalid_token', async () => {
        const token = await issuer.sign({ ...USER, role: 'admin' }, { expired: true });
        expectInvalid(await get(app.url, '/checked', bearer(token)), token);
      });
    });

    describe('route-level check after optional auth (/optional-checked)', () => {
      it('no token: 401 without error attribute (a check needs a user)', async () => {
        expectMissing(await get(app.url, '/optional-checked'));
      });

      it('the check says no: 403; yes: 200', async () => {
        const member = await issuer.sign({ ...USER, role: 'member' });
        expectForbidden(await get(app.url, '/optional-checked', bearer(member)), member);
        const admin = await issuer.sign({ ...USER, role: 'admin' });
        expectOk(await get(app.url, '/optional-checked', bearer(admin)));
      });

      it('a bad token: still 401 invalid_token', async () => {
        const token = await issuer.sign({ ...USER, role: 'admin' }, { tampered: true });
        expectInvalid(await get(app.url, '/optional-checked', bearer(token)), token);
      });
    });

    describe('each request’s token is verified once (token cache off, signature checks counted)', () => {
      let uncached: ConformanceApp;

      beforeAll(async () => {
        uncached = await start({ issuer: issuer.issuer, tokenCache: false });
      });

      afterAll(async () => {
        await uncached?.close();
      });

      /** The signature checks one request to `path` with a fresh token of `claims` costs. */
      async function checksFor(path: string, claims: Record<string, unknown>) {
        const token = await issuer.sign({ ...USER, ...claims });
        const counter = countSignatureChecks();
        try {
          const res = await get(uncached.url, path, bearer(token));
          return { status: res.status, checks: counter.count };
        } finally {
          counter.stop();
        }
      }

      it('the counter sees a verification: /protected costs exactly one', async () => {
        expect(await checksFor('/protected', {})).toStrictEqual({ status: 200, checks: 1 });
        // the app's token cache is off: the same request again is verified again
        expect(await checksFor('/protected', {})).toStrictEqual({ status: 200, checks: 1 });
      });

      it.each([
        ['/checked', 'admin', 200],
        ['/checked', 'member', 403],
        ['/optional-checked', 'admin', 200],
        ['/optional-checked', 'member', 403],
        ['/admin', 'admin', 200],
      ])('%s as %s: %i after one verification', async (path, role, status) => {
        expect(await checksFor(path, { role })).toStrictEqual({ status, checks: 1 });
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
