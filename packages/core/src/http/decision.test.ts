import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type JwksServer, startJwksServer } from '../../test/jwks-server.js';
import { createSigner, nowSec, type TestSigner } from '../../test/signer.js';
import { ToriiAuthError, ToriiAuthErrorCodes } from '../errors.js';
import type { DecisionOptions } from '../options.js';
import type { RequestLike } from '../request-like.js';
import { createAuthGuard } from './auth-guard.js';
import { AUTH_FAILURE_MESSAGES, denialFor, FORBIDDEN_MESSAGE } from './denials.js';
import type { AuthDecision } from './types.js';

let jwks: JwksServer;
let signer: TestSigner;

beforeEach(async () => {
  jwks = await startJwksServer();
  signer = await createSigner(jwks.issuer);
  jwks.setKeys(signer.jwk);
});
afterEach(async () => {
  vi.useRealTimers();
  await jwks.close();
});

/** One request through a guard of the test issuer with these decision options. */
function decideWith<TRequest>(
  request: TRequest,
  options: DecisionOptions<TRequest> & { headers?: RequestLike } = {},
): Promise<AuthDecision> {
  const { headers, ...decision } = options;
  return createAuthGuard<TRequest>({ issuer: jwks.issuer, ...decision }).decide(request, headers);
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** The decision without its `error` object, for exact comparison. */
function answer(decision: AuthDecision) {
  if (decision.ok) return decision;
  const { error, ...rest } = decision;
  return { ...rest, code: error?.code ?? null };
}

describe('guard.decide: the exact answers of every adapter', () => {
  it('valid token → { ok: true, auth }', async () => {
    const decision = await decideWith(bearer(await signer.sign()));
    expect(decision).toEqual({ ok: true, auth: expect.objectContaining({ userId: 'user_abc' }) });
  });

  it('missing token → 401, WWW-Authenticate: Bearer with no error attribute', async () => {
    expect(answer(await decideWith({ headers: {} }))).toEqual({
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
    const decision = await decideWith({ headers: { authorization: 'Basic dTpw' } });
    expect(answer(decision)).toMatchObject({
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
      code: 'token_missing',
    });
  });

  it('invalid token → 401, error="invalid_token" with the fixed description; never the token', async () => {
    const token = `${(await signer.sign()).slice(0, -4)}AAAA`;
    const decision = await decideWith(bearer(token));
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
    expect(answer(await decideWith(bearer(token)))).toEqual({
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
    expect(answer(await decideWith(request, { authorize }))).toEqual({
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
    const allowed = await decideWith(request, { authorize: async () => true });
    expect(allowed.ok).toBe(true);
  });

  it('authorize runs only on a verified token', async () => {
    const authorize = vi.fn(() => true);
    await decideWith({ headers: {} }, { authorize });
    await decideWith(bearer('a.b.c'), { authorize, optional: true });
    expect(authorize).not.toHaveBeenCalled();
  });

  it('authorize or getToken throwing → the promise rejects with that error', async () => {
    const boom = new Error('db down');
    const request = bearer(await signer.sign());
    await expect(
      decideWith(request, {
        authorize: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
    await expect(
      decideWith(request, {
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
    const decision = await decideWith(bearer(token));
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
    const later = await decideWith(bearer(token));
    expect(later.ok === false && later.headers['retry-after']).toBe('18');
  });

  it('optional: no token → { ok: true, auth: null }; a bad token is still 401', async () => {
    expect(await decideWith({ headers: {} }, { optional: true })).toEqual({
      ok: true,
      auth: null,
    });
    const bad = await decideWith(bearer('not-a-token'), { optional: true });
    expect(answer(bad)).toMatchObject({ status: 401, code: 'token_malformed' });
    const good = await decideWith(bearer(await signer.sign()), { optional: true });
    expect(good.ok && good.auth?.userId).toBe('user_abc');
  });

  it('getToken replaces header reading (a cookie); null or "" is no token', async () => {
    const token = await signer.sign();
    const request = { cookies: { session: token }, headers: { authorization: 'Bearer garbage' } };
    const decision = await decideWith(request, { getToken: (r) => r.cookies.session });
    expect(decision.ok).toBe(true);
    for (const none of [null, undefined, '']) {
      const missing = await decideWith(request, { getToken: () => none });
      expect(answer(missing)).toMatchObject({
        status: 401,
        headers: { 'www-authenticate': 'Bearer' },
      });
      expect(await decideWith(request, { getToken: async () => none, optional: true })).toEqual({
        ok: true,
        auth: null,
      });
    }
  });

  it('reads the headers from options.headers when given', async () => {
    const ctx = { request: {}, headers: { authorization: `Bearer ${await signer.sign()}` } };
    expect((await decideWith(ctx, { headers: ctx.headers })).ok).toBe(true);
    expect((await decideWith(ctx.request)).ok).toBe(false);
  });

  it('rethrows what is not a ToriiAuthError (a bug in getToken)', async () => {
    const getToken = () => Promise.reject(new RangeError('bug'));
    await expect(decideWith({}, { getToken })).rejects.toBeInstanceOf(RangeError);
  });

  it.each(ToriiAuthErrorCodes.filter((c) => c !== 'token_missing' && c !== 'jwks_unavailable'))(
    'code %s → 401 invalid_token with its fixed description (RFC 6750 charset)',
    async (code) => {
      const decision = denialFor(new ToriiAuthError(code, 'detail with eyJ.secret.token'));
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
