// The test issuer against the real torii verifier of @torii/core: every deliberately broken
// token must be refused with the exact ToriiAuthError code a user's negative test would assert.
import { createVerifier, ToriiAuthError, type ToriiAuthErrorCode, verifyToken } from '@torii/core';
import { describe, expect, it } from 'vitest';
import type { SignOptions, TestTokenClaims } from '../src/index.js';
import { issuerForTest } from './support/issuer-for-test.js';

async function codeOf(promise: Promise<unknown>): Promise<ToriiAuthErrorCode | 'verified'> {
  try {
    await promise;
    return 'verified';
  } catch (error) {
    if (error instanceof ToriiAuthError) return error.code;
    throw error;
  }
}

describe('createTestIssuer + verifyToken of @torii/core', () => {
  it('a default token verifies over HTTP into a full ToriiAuth', async () => {
    const issuer = await issuerForTest();
    const auth = await verifyToken(await issuer.sign({ sub: 'user_1', role: 'admin' }), {
      issuer: issuer.issuer,
    });
    expect(auth).toMatchObject({
      userId: 'user_1',
      environmentId: issuer.environmentId,
      issuer: issuer.issuer,
      emailVerified: true,
      profileComplete: true,
      impersonating: false,
      locale: 'en',
    });
    expect(auth.raw.role).toBe('admin');
    expect(issuer.requestCount).toBe(1);
  });

  const attacks: Array<[string, TestTokenClaims, SignOptions, ToriiAuthErrorCode]> = [
    ['expired', {}, { expired: true }, 'token_expired'],
    ['negative expiresIn', {}, { expiresIn: '-5m' }, 'token_expired'],
    ['not yet valid', {}, { notBefore: '10m' }, 'token_not_yet_valid'],
    ['wrong issuer', {}, { issuer: 'https://evil.example' }, 'issuer_mismatch'],
    ['unknown kid', {}, { kid: 'no-such-key' }, 'key_not_found'],
    ['ES384', {}, { alg: 'ES384' }, 'algorithm_not_allowed'],
    ['RS256', {}, { alg: 'RS256' }, 'algorithm_not_allowed'],
    ['HS256 keyed with the public key', {}, { alg: 'HS256' }, 'algorithm_not_allowed'],
    ['alg none', {}, { alg: 'none' }, 'algorithm_not_allowed'],
    ['tampered payload', {}, { tampered: true }, 'signature_invalid'],
    ['unknown crit header', {}, { header: { crit: ['x'], x: 1 } }, 'token_malformed'],
    ['jku header', {}, { header: { jku: 'https://evil.example/jwks.json' } }, 'token_malformed'],
    ['missing sub', { sub: undefined }, {}, 'claims_invalid'],
    ['missing pid', { pid: undefined }, {}, 'claims_invalid'],
    ['missing exp', { exp: undefined }, {}, 'claims_invalid'],
  ];

  it.each(attacks)('%s → %s', async (_name, claims, options, code) => {
    const issuer = await issuerForTest();
    const verifier = createVerifier({ issuer: issuer.issuer });
    expect(await codeOf(verifier.verify(await issuer.sign(claims, options)))).toBe(code);
  });

  it('without HTTP: the issuer fetch, and the static jwks', async () => {
    const issuer = await issuerForTest({
      listen: false,
      issuer: `http://localhost:${40_000 + Math.floor(Math.random() * 1000)}`,
    });
    const token = await issuer.sign();
    await expect(
      verifyToken(token, { issuer: issuer.issuer, fetch: issuer.fetch }),
    ).resolves.toMatchObject({
      userId: 'user_test_0001',
    });
    expect(issuer.requestCount).toBe(1);
    const offline = createVerifier({ issuer: issuer.issuer, jwks: issuer.jwks() });
    await expect(offline.verify(token)).resolves.toMatchObject({ userId: 'user_test_0001' });
    expect(issuer.requestCount).toBe(1);
  });

  it('JWKS outage with nothing cached → jwks_unavailable; back up → verifies', async () => {
    const issuer = await issuerForTest();
    issuer.setAvailable(false);
    const verifier = createVerifier({ issuer: issuer.issuer, jwksCache: { cooldownMs: 0 } });
    const token = await issuer.sign();
    expect(await codeOf(verifier.verify(token))).toBe('jwks_unavailable');
    issuer.setAvailable(true);
    expect(await codeOf(verifier.verify(token))).toBe('verified');
  });

  it('rotation: a token of the new key is picked up by a kid miss', async () => {
    const issuer = await issuerForTest();
    const verifier = createVerifier({ issuer: issuer.issuer, jwksCache: { cooldownMs: 0 } });
    await verifier.verify(await issuer.sign());
    await issuer.rotateKeys();
    expect(await codeOf(verifier.verify(await issuer.sign()))).toBe('verified');
    expect(issuer.requestCount).toBe(2);
  });
});
