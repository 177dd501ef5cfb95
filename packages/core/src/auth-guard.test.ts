import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JwksServer, startJwksServer } from '../test/jwks-server.js';
import { createSigner, type TestSigner } from '../test/signer.js';
import { createAuthGuard } from './auth-guard.js';
import { ToriiConfigError } from './errors.js';
import type { AdapterOptions } from './options.js';

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
