import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type JwksServer, startJwksServer } from '../test/jwks-server.js';
import { createSigner, nowSec, type TestSigner } from '../test/signer.js';
import { AUTH_FAILURE_MESSAGES, FORBIDDEN_MESSAGE } from './bearer/denials.js';
import { decideRequest } from './decision.js';
import { ToriiAuthError, ToriiAuthErrorCodes } from './errors.js';
import type { AuthDecision, Verifier } from './options.js';
import { createVerifier } from './verifier.js';

let jwks: JwksServer;
let signer: TestSigner;
let verifier: Verifier;

beforeEach(async () => {
  jwks = await startJwksServer();
  signer = await createSigner(jwks.issuer);
  jwks.setKeys(signer.jwk);
  verifier = createVerifier({ issuer: jwks.issuer });
});
afterEach(async () => {
  vi.useRealTimers();
  await jwks.close();
});

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** The decision without its `error` object, for exact comparison. */
function answer(decision: AuthDecision) {
  if (decision.ok) return decision;
  const { error, ...rest } = decision;
  return { ...rest, code: error?.code ?? null };
}

describe('decideRequest: the exact answers of DESIGN.md §3', () => {
  it('valid token → { ok: true, auth }', async () => {
    const decision = await decideRequest(verifier, bearer(await signer.sign()));
    expect(decision).toEqual({ ok: true, auth: expect.objectContaining({ userId: 'user_abc' }) });
  });

  it('missing token → 401, WWW-Authenticate: Bearer with no error attribute', async () => {
    expect(answer(await decideRequest(verifier, { headers: {} }))).toEqual({
      ok: false,
      status: 401,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
      body: {
        error: {
          code: 'authentication_failed',
          message:
            'No bearer token was sent. Sign in and send the session token as "Authorization: Bearer <token>".',
        },
      },
      code: 'token_missing',
    });
  });

  it('a non-Bearer scheme counts as no token', async () => {
    const decision = await decideRequest(verifier, { headers: { authorization: 'Basic dTpw' } });
    expect(answer(decision)).toMatchObject({
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
      code: 'token_missing',
    });
  });

  it('invalid token → 401, error="invalid_token" with the fixed description; never the token', async () => {
    const token = `${(await signer.sign()).slice(0, -4)}AAAA`;
    const decision = await decideRequest(verifier, bearer(token));
    expect(answer(decision)).toEqual({
      ok: false,
      status: 401,
      headers: {
        'content-type': 'application/json',
        'www-authenticate':
          'Bearer error="invalid_token", error_description="The token signature is invalid."',
      },
      body: {
        error: { code: 'authentication_failed', message: 'The token signature is invalid.' },
      },
      code: 'signature_invalid',
    });
    expect(JSON.stringify(decision)).not.toContain(token);
  });

  it('expired token → 401 invalid_token, "expired" description', async () => {
    const token = await signer.sign({ iat: nowSec() - 7200, exp: nowSec() - 3600 });
    expect(answer(await decideRequest(verifier, bearer(token)))).toEqual({
      ok: false,
      status: 401,
      headers: {
        'content-type': 'application/json',
        'www-authenticate':
          'Bearer error="invalid_token", error_description="The token has expired. Refresh the session and retry."',
      },
      body: {
        error: {
          code: 'authentication_failed',
          message: 'The token has expired. Refresh the session and retry.',
        },
      },
      code: 'token_expired',
    });
  });

  it('authorize false → 403 forbidden; authorize gets the auth and the request', async () => {
    const request = bearer(await signer.sign({ role: 'member' }));
    const authorize = vi.fn((auth: { raw: Record<string, unknown> }) => auth.raw.role === 'admin');
    expect(answer(await decideRequest(verifier, request, { authorize }))).toEqual({
      ok: false,
      status: 403,
      headers: { 'content-type': 'application/json' },
      body: { error: { code: 'forbidden', message: FORBIDDEN_MESSAGE } },
      code: null,
    });
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({ userId: 'user_abc' }),
      request,
    );
    const allowed = await decideRequest(verifier, request, { authorize: async () => true });
    expect(allowed.ok).toBe(true);
  });

  it('authorize runs only on a verified token', async () => {
    const authorize = vi.fn(() => true);
    await decideRequest(verifier, { headers: {} }, { authorize });
    await decideRequest(verifier, bearer('a.b.c'), { authorize, optional: true });
    expect(authorize).not.toHaveBeenCalled();
  });

  it('authorize or getToken throwing → the promise rejects with that error', async () => {
    const boom = new Error('db down');
    const request = bearer(await signer.sign());
    await expect(
      decideRequest(verifier, request, {
        authorize: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
    await expect(
      decideRequest(verifier, request, {
        getToken: async () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
  });

  it('outage (JWKS unreachable, nothing cached) → 503 verification_unavailable with retry-after', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2030, 0, 1));
    jwks.mode = 'down';
    const token = await signer.sign();
    const decision = await decideRequest(verifier, bearer(token));
    expect(answer(decision)).toEqual({
      ok: false,
      status: 503,
      headers: { 'content-type': 'application/json', 'retry-after': '30' },
      body: {
        error: {
          code: 'verification_unavailable',
          message: 'Authentication is temporarily unavailable. Retry shortly.',
        },
      },
      code: 'jwks_unavailable',
    });
    vi.setSystemTime(Date.now() + 12_500);
    const later = await decideRequest(verifier, bearer(token));
    expect(later.ok === false && later.headers['retry-after']).toBe('18');
  });

  it('optional: no token → { ok: true, auth: null }; a bad token is still 401', async () => {
    expect(await decideRequest(verifier, { headers: {} }, { optional: true })).toEqual({
      ok: true,
      auth: null,
    });
    const bad = await decideRequest(verifier, bearer('not-a-token'), { optional: true });
    expect(answer(bad)).toMatchObject({ status: 401, code: 'token_malformed' });
    const good = await decideRequest(verifier, bearer(await signer.sign()), { optional: true });
    expect(good.ok && good.auth?.userId).toBe('user_abc');
  });

  it('getToken replaces header reading (a cookie); null or "" is no token', async () => {
    const token = await signer.sign();
    const request = { cookies: { session: token }, headers: { authorization: 'Bearer garbage' } };
    const decision = await decideRequest(verifier, request, { getToken: (r) => r.cookies.session });
    expect(decision.ok).toBe(true);
    for (const none of [null, undefined, '']) {
      const missing = await decideRequest(verifier, request, { getToken: () => none });
      expect(answer(missing)).toMatchObject({
        status: 401,
        headers: { 'www-authenticate': 'Bearer' },
      });
      expect(
        await decideRequest(verifier, request, { getToken: async () => none, optional: true }),
      ).toEqual({
        ok: true,
        auth: null,
      });
    }
  });

  it('reads the headers from options.headers when given', async () => {
    const ctx = { request: {}, headers: { authorization: `Bearer ${await signer.sign()}` } };
    expect((await decideRequest(verifier, ctx, { headers: ctx.headers })).ok).toBe(true);
    expect((await decideRequest(verifier, ctx.request)).ok).toBe(false);
  });

  it('rethrows what is not a ToriiAuthError (a broken custom verifier)', async () => {
    const broken: Verifier = {
      ...verifier,
      authenticate: () => Promise.reject(new RangeError('bug')),
    };
    await expect(decideRequest(broken, {})).rejects.toBeInstanceOf(RangeError);
  });

  it.each(ToriiAuthErrorCodes.filter((c) => c !== 'token_missing' && c !== 'jwks_unavailable'))(
    'code %s → 401 invalid_token with its fixed description (RFC 6750 charset)',
    async (code) => {
      const failing: Verifier = {
        ...verifier,
        authenticate: () =>
          Promise.reject(new ToriiAuthError(code, 'detail with eyJ.secret.token')),
      };
      const decision = await decideRequest(failing, {});
      expect(answer(decision)).toMatchObject({ status: 401, code });
      if (decision.ok) return;
      const description = AUTH_FAILURE_MESSAGES[code];
      expect(decision.headers['www-authenticate']).toBe(
        `Bearer error="invalid_token", error_description="${description}"`,
      );
      // error_description: %x20-21 / %x23-5B / %x5D-7E (no quote, no backslash).
      expect(description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
      expect(JSON.stringify(decision.body)).not.toContain('eyJ');
    },
  );
});
