import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEs256Backend } from '../../test/es256-backends.js';
import { type JwksServer, startJwksServer } from '../../test/jwks-server.js';
import { createSigner, type TestSigner } from '../../test/signer.js';
import { ToriiConfigError } from '../errors.js';
import { verifyEs256WebCrypto } from '../jwt/es256.js';
import { verifyEs256Node } from '../jwt/es256.node.js';
import type { DecisionOverrides } from '../options.js';
import { createAuthGuard } from './auth-guard.js';
import type { AuthDecision } from './types.js';

let jwks: JwksServer;
let signer: TestSigner;
beforeAll(async () => {
  jwks = await startJwksServer();
  signer = await createSigner(jwks.issuer);
  jwks.setKeys(signer.jwk);
});
afterAll(() => jwks.close());

type Req = { headers: Record<string, string>; role?: string };
const bearer = (token: string, role?: string): Req => ({
  headers: { authorization: `Bearer ${token}` },
  role,
});
const isPromise = (value: unknown): value is Promise<AuthDecision> => value instanceof Promise;

describe('guard.decideNow on the node entry (node:crypto, synchronous)', () => {
  useEs256Backend(verifyEs256Node);

  it('answers a fresh token synchronously once the keys are loaded, and the same as decide', async () => {
    const guard = createAuthGuard<Req>({ issuer: jwks.issuer });
    const first = guard.decideNow(bearer(await signer.sign()));
    expect(isPromise(first)).toBe(true); // the key set is fetched first
    expect(await first).toMatchObject({ ok: true, auth: { userId: 'user_abc' } });

    const token = await signer.sign({ sub: 'user_sync' });
    const now = guard.decideNow(bearer(token));
    expect(isPromise(now)).toBe(false);
    expect(now).toMatchObject({ ok: true, auth: { userId: 'user_sync' } });
    expect(await guard.decide(bearer(token))).toEqual(now);
  });

  it('answers every denial synchronously with the exact answer decide gives', async () => {
    const guard = createAuthGuard<Req>({ issuer: jwks.issuer });
    await guard.ready();
    const cases: [Req, number][] = [
      [{ headers: {} }, 401],
      [bearer('not.a.jwt'), 401],
      [bearer(await signer.sign({ exp: Math.floor(Date.now() / 1000) - 3600 })), 401],
      [bearer(`${(await signer.sign()).slice(0, -4)}AAAA`), 401],
      [bearer(await signer.sign({ iss: 'https://evil.example' })), 401],
    ];
    for (const [request, status] of cases) {
      const now = guard.decideNow(request);
      expect(isPromise(now)).toBe(false);
      expect(now).toMatchObject({ ok: false, status });
      expect(await guard.decide(request)).toEqual(now);
    }
  });

  it('stays synchronous with a boolean check and waits for a check that answers a promise', async () => {
    const guard = createAuthGuard<Req>({
      issuer: jwks.issuer,
      authorize: (_auth, req) => req.role === 'admin',
    });
    await guard.ready();
    const token = await signer.sign();
    expect(guard.decideNow(bearer(token, 'admin'))).toMatchObject({ ok: true });
    expect(guard.decideNow(bearer(token, 'user'))).toMatchObject({ ok: false, status: 403 });

    const later: DecisionOverrides<Req> = { authorize: async () => false };
    const waited = guard.decideNow(bearer(token, 'admin'), undefined, later);
    expect(isPromise(waited)).toBe(true);
    expect(await waited).toMatchObject({ ok: false, status: 403 });
    // A route check needs a user: optional without a token is the 401 of a missing token.
    const optional = guard.decideNow({ headers: {} }, undefined, {
      optional: true,
      authorize: () => true,
    });
    expect(optional).toMatchObject({ ok: false, status: 401 });
    expect(guard.decideNow({ headers: {} }, undefined, { optional: true })).toEqual({
      ok: true,
      auth: null,
    });
  });

  it('throws synchronously what decide rejects with', async () => {
    const guard = createAuthGuard<Req>({
      issuer: jwks.issuer,
      authorize: () => {
        throw new Error('check failed');
      },
    });
    await guard.ready();
    const request = bearer(await signer.sign());
    expect(() => guard.decideNow(request)).toThrow('check failed');
    await expect(guard.decide(request)).rejects.toThrow('check failed');

    const bad = 'yes' as unknown as DecisionOverrides<Req>;
    expect(() => guard.decideNow(request, undefined, bad)).toThrow(ToriiConfigError);
    await expect(guard.decide(request, undefined, bad)).rejects.toThrow(ToriiConfigError);
  });
});

describe('guard.decideNow on the default entry (Web Crypto, asynchronous)', () => {
  useEs256Backend(verifyEs256WebCrypto);

  it('waits for a signature check, and answers a cached token synchronously', async () => {
    const guard = createAuthGuard<Req>({ issuer: jwks.issuer });
    await guard.ready();
    const token = await signer.sign({ sub: 'user_web' });
    const first = guard.decideNow(bearer(token));
    expect(isPromise(first)).toBe(true);
    expect(await first).toMatchObject({ ok: true, auth: { userId: 'user_web' } });
    await guard.decide(bearer(token)); // cached on its second verification
    const again = guard.decideNow(bearer(token));
    expect(isPromise(again)).toBe(false);
    expect(again).toEqual(await first);
  });

  it('answers a forged signature with the same 401 after the wait', async () => {
    const guard = createAuthGuard<Req>({ issuer: jwks.issuer });
    await guard.ready();
    const forged = `${(await signer.sign()).slice(0, -4)}AAAA`;
    expect(await guard.decideNow(bearer(forged))).toMatchObject({
      ok: false,
      status: 401,
      error: { code: 'signature_invalid' },
    });
  });
});
