import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type JwksServer, startJwksServer } from '../../test/jwks-server.js';
import { createSigner, type TestSigner } from '../../test/signer.js';
import { ToriiConfigError } from '../errors.js';
import type { AdapterOptions, DecisionOverrides } from '../options.js';
import { createAuthGuard } from './auth-guard.js';
import { forbidden } from './denials.js';

let jwks: JwksServer;
let signer: TestSigner;
beforeAll(async () => {
  jwks = await startJwksServer();
  signer = await createSigner(jwks.issuer);
  jwks.setKeys(signer.jwk);
});
afterAll(() => jwks.close());

interface Ctx {
  user?: string;
  req: { headers: Record<string, string> };
}

describe('createAuthGuard', () => {
  it('builds the verifier once and decides requests with the adapter options', async () => {
    const guard = createAuthGuard<Ctx>({
      issuer: jwks.issuer,
      authorize: (auth, ctx) => auth.userId === ctx.user,
    });
    expect(guard.verifier.issuer).toBe(jwks.issuer);
    const token = await signer.sign();
    const ctx: Ctx = { user: 'user_abc', req: { headers: { authorization: `Bearer ${token}` } } };
    expect(await guard.decide(ctx, ctx.req.headers)).toMatchObject({
      ok: true,
      auth: { userId: 'user_abc' },
    });
    expect(await guard.decide({ ...ctx, user: 'someone else' }, ctx.req.headers)).toMatchObject({
      status: 403,
    });
    expect(await guard.decide(ctx)).toMatchObject({ status: 401 }); // ctx itself has no headers
    expect(jwks.requests).toBe(1);
  });

  it('passes optional and getToken through', async () => {
    const guard = createAuthGuard<{ cookie?: string }>({
      issuer: jwks.issuer,
      optional: true,
      getToken: (r) => r.cookie,
    });
    expect(await guard.decide({})).toEqual({ ok: true, auth: null });
    expect(await guard.decide({ cookie: await signer.sign() })).toMatchObject({ ok: true });
    expect(await guard.decide({ cookie: 'bad' })).toMatchObject({ ok: false, status: 401 });
  });

  it('honours a custom header', async () => {
    const guard = createAuthGuard({ issuer: jwks.issuer, header: 'x-session' });
    const token = await signer.sign();
    expect((await guard.decide({ headers: { 'X-Session': `Bearer ${token}` } })).ok).toBe(true);
    expect((await guard.decide({ headers: { authorization: `Bearer ${token}` } })).ok).toBe(false);
  });

  it.each<[string, Partial<AdapterOptions<unknown>>, RegExp]>([
    ['optional not a boolean', { optional: 'yes' as never }, /optional must be true or false/],
    ['authorize not a function', { authorize: true as never }, /authorize must be a function/],
    ['getToken not a function', { getToken: 'session' as never }, /getToken must be a function/],
    ['a bad issuer', { issuer: 'http://acme.torii.so' }, /https/],
    ['a bad header', { header: 'x header' }, /header must be an HTTP header name/],
  ])('throws ToriiConfigError at creation for %s', (_, change, message) => {
    expect(() => createAuthGuard({ issuer: jwks.issuer, ...change })).toThrow(ToriiConfigError);
    expect(() => createAuthGuard({ issuer: jwks.issuer, ...change })).toThrow(message);
  });
});

describe('createAuthGuard: per-call overrides', () => {
  type Req = { headers: Record<string, string>; tenant?: string };
  const bearer = (token: string): Req => ({ headers: { authorization: `Bearer ${token}` } });

  it('optional: true lets a request without a token through; a bad token is still a 401', async () => {
    const guard = createAuthGuard<Req>({ issuer: jwks.issuer });
    expect(await guard.decide({ headers: {} }, undefined, { optional: true })).toEqual({
      ok: true,
      auth: null,
    });
    const bad = await guard.decide(bearer('not.a.token'), undefined, { optional: true });
    expect(bad).toMatchObject({ ok: false, status: 401, error: { code: 'token_malformed' } });
    // the override is for that call only
    expect(await guard.decide({ headers: {} })).toMatchObject({
      status: 401,
      error: { code: 'token_missing' },
    });
  });

  it('optional: false makes an optional guard require a token for that call', async () => {
    const guard = createAuthGuard<Req>({ issuer: jwks.issuer, optional: true });
    expect(await guard.decide({ headers: {} }, undefined, { optional: false })).toMatchObject({
      status: 401,
      error: { code: 'token_missing' },
    });
    expect(await guard.decide({ headers: {} }, undefined, {})).toEqual({ ok: true, auth: null });
  });

  it('authorize is added to the guard’s: both must pass, else exactly the guard’s 403', async () => {
    const calls: string[] = [];
    const guard = createAuthGuard<Req>({
      issuer: jwks.issuer,
      authorize: (auth) => {
        calls.push('guard');
        return auth.emailVerified;
      },
    });
    const admin: DecisionOverrides<Req> = {
      authorize: async (auth, request) => {
        calls.push('override');
        return auth.raw.role === 'admin' && request.tenant === 'acme';
      },
    };
    const adminToken = await signer.sign({ role: 'admin', email_verified: true });

    const allowed = await guard.decide({ ...bearer(adminToken), tenant: 'acme' }, undefined, admin);
    expect(allowed).toMatchObject({ ok: true, auth: { raw: { role: 'admin' } } });
    expect(calls).toEqual(['guard', 'override']);

    calls.length = 0; // the override says no (it sees the request)
    const otherTenant = await guard.decide(
      { ...bearer(adminToken), tenant: 'evil' },
      undefined,
      admin,
    );
    expect(otherTenant).toEqual(forbidden());
    expect(calls).toEqual(['guard', 'override']);

    calls.length = 0; // the guard says no: the override is not even asked
    const unverified = await signer.sign({ role: 'admin', email_verified: false });
    const refused = await guard.decide({ ...bearer(unverified), tenant: 'acme' }, undefined, admin);
    expect(refused).toEqual(forbidden());
    expect(calls).toEqual(['guard']);

    calls.length = 0; // without the override, the guard alone decides
    expect(await guard.decide(bearer(await signer.sign({ email_verified: true })))).toMatchObject({
      ok: true,
    });
    expect(calls).toEqual(['guard']);
  });

  it('authorize works on a guard without one, and only `true` allows', async () => {
    const guard = createAuthGuard<Req>({ issuer: jwks.issuer });
    const truthy = { authorize: () => 'yes' as unknown as boolean };
    const token = await signer.sign();
    expect(await guard.decide(bearer(token), undefined, truthy)).toEqual(forbidden());
    expect(await guard.decide(bearer(token), undefined, { authorize: () => true })).toMatchObject({
      ok: true,
    });
  });

  it('authorize never runs without a verified token; missing and bad tokens stay 401', async () => {
    const authorize = vi.fn(() => true);
    const guard = createAuthGuard<Req>({ issuer: jwks.issuer });
    expect(await guard.decide({ headers: {} }, undefined, { authorize })).toMatchObject({
      status: 401,
      error: { code: 'token_missing' },
    });
    const tampered = `${(await signer.sign()).slice(0, -4)}AAAA`;
    expect(await guard.decide(bearer(tampered), undefined, { authorize })).toMatchObject({
      status: 401,
      error: { code: 'signature_invalid' },
    });
    expect(authorize).not.toHaveBeenCalled();
  });

  it('a route check needs a user: an optional call without a token is the 401 of a missing token', async () => {
    const authorize = vi.fn(() => true);
    const guard = createAuthGuard<Req>({ issuer: jwks.issuer });
    const none = await guard.decide({ headers: {} }, undefined, { authorize, optional: true });
    expect(none).toMatchObject({
      ok: false,
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
      body: { error: { code: 'authentication_failed' } },
      error: { code: 'token_missing' },
    });
    expect(authorize).not.toHaveBeenCalled();
    // the same on a guard that is optional itself
    const optionalGuard = createAuthGuard<Req>({ issuer: jwks.issuer, optional: true });
    expect(await optionalGuard.decide({ headers: {} }, undefined, { authorize })).toMatchObject({
      status: 401,
    });
    expect(await optionalGuard.decide({ headers: {} })).toEqual({ ok: true, auth: null });
    // the guard-level authorize keeps judging signed-in users only
    const guardLevel = createAuthGuard<Req>({ issuer: jwks.issuer, optional: true, authorize });
    expect(await guardLevel.decide({ headers: {} })).toEqual({ ok: true, auth: null });
    expect(authorize).not.toHaveBeenCalled();
    // with a token, the optional call is judged by the check
    const token = await signer.sign();
    expect(
      await optionalGuard.decide(bearer(token), undefined, { authorize: () => false }),
    ).toEqual(forbidden());
    expect(await optionalGuard.decide(bearer(token), undefined, { authorize })).toMatchObject({
      ok: true,
      auth: { userId: 'user_abc' },
    });
  });

  it('overrides work with headers given apart and with the guard’s getToken', async () => {
    const guard = createAuthGuard<{ cookie?: string }>({
      issuer: jwks.issuer,
      getToken: (r) => r.cookie,
    });
    const token = await signer.sign({ role: 'admin' });
    const isAdmin = {
      authorize: (auth: { raw: Record<string, unknown> }) => auth.raw.role === 'admin',
    };
    expect(await guard.decide({ cookie: token }, undefined, isAdmin)).toMatchObject({ ok: true });
    expect(await guard.decide({ cookie: await signer.sign() }, undefined, isAdmin)).toEqual(
      forbidden(),
    );
    const headerGuard = createAuthGuard<Ctx>({ issuer: jwks.issuer });
    const ctx: Ctx = { req: { headers: { authorization: `Bearer ${token}` } } };
    expect(await headerGuard.decide(ctx, ctx.req.headers, isAdmin)).toMatchObject({ ok: true });
  });

  it.each<[string, unknown, RegExp]>([
    ['overrides not an object', 'admin', /overrides must be an object/],
    ['optional not a boolean', { optional: 'yes' }, /optional override must be true or false/],
    ['authorize not a function', { authorize: 'admin' }, /authorize override must be a function/],
  ])('rejects with ToriiConfigError for %s', async (_, overrides, message) => {
    const guard = createAuthGuard({ issuer: jwks.issuer });
    const decision = guard.decide(
      { headers: {} },
      undefined,
      overrides as DecisionOverrides<unknown>,
    );
    await expect(decision).rejects.toBeInstanceOf(ToriiConfigError);
    await expect(decision).rejects.toThrow(message);
  });
});
