import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { createSigner, type TestSigner } from '../../test/signer.js';
import type { VerifyOptions } from '../options.js';
import { createTokenVerifier as createVerifier } from './verifier.js';

/** What the test signer's default claims verify to. */
const EXPECTED_AUTH = { userId: 'user_abc', environmentId: 'env_xyz' };

const ISSUER = 'https://acme.torii.so';
const NOW = Date.UTC(2030, 0, 1) / 1000; // whole seconds

let signer: TestSigner;
beforeAll(async () => {
  signer = await createSigner(ISSUER);
});
afterEach(() => vi.useRealTimers());

function at(seconds: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(seconds * 1000);
}

function verifier(options: Partial<VerifyOptions> = {}) {
  return createVerifier({
    issuer: ISSUER,
    jwks: { keys: [signer.jwk] },
    tokenCache: false,
    ...options,
  });
}

/** Signs `claims` (valid torii claims at NOW, overridden) with jose. */
function token(claims: Record<string, unknown> = {}): Promise<string> {
  return signer.sign({ iat: NOW, exp: NOW + 600, ...claims });
}

/** Signs raw payload JSON text (for values JSON.stringify cannot produce). */
function rawToken(payloadJson: string): Promise<string> {
  return signer.signRaw('{"alg":"ES256","kid":"k1"}', payloadJson);
}

describe('ToriiAuth from the claims', () => {
  it('maps every field of the ToriiAuth table', async () => {
    at(NOW);
    const t = await token({
      email_verified: true,
      profile_complete: false,
      impersonating: true,
      locale: 'da',
      org_role: 'admin',
    });
    const auth = await verifier().verify(t);
    expect(auth).toEqual({
      userId: 'user_abc',
      environmentId: 'env_xyz',
      issuer: ISSUER,
      emailVerified: true,
      profileComplete: false,
      impersonating: true,
      locale: 'da',
      raw: {
        iss: ISSUER,
        sub: 'user_abc',
        pid: 'env_xyz',
        iat: NOW,
        exp: NOW + 600,
        email_verified: true,
        profile_complete: false,
        impersonating: true,
        locale: 'da',
        org_role: 'admin',
      },
    });
  });

  it('applies the defaults when the optional claims are absent', async () => {
    at(NOW);
    const auth = await verifier().verify(await token());
    expect(auth).toMatchObject({
      emailVerified: false,
      profileComplete: true,
      impersonating: false,
      locale: null,
    });
  });

  it.each([
    ['"true"', 'true', { emailVerified: false, impersonating: false, profileComplete: true }],
    ['1', 1, { emailVerified: false, impersonating: false, profileComplete: true }],
    ['null', null, { emailVerified: false, impersonating: false, profileComplete: true }],
    ['false', false, { emailVerified: false, impersonating: false, profileComplete: false }],
  ])('reads the boolean claims strictly (value %s)', async (_, value, expected) => {
    at(NOW);
    const t = await token({ email_verified: value, impersonating: value, profile_complete: value });
    expect(await verifier().verify(t)).toMatchObject(expected);
  });

  it.each([
    [42, null],
    [null, null],
    [{ lang: 'en' }, null],
    ['en', 'en'],
    ['', ''],
  ])('locale %j becomes %j', async (value, expected) => {
    at(NOW);
    expect((await verifier().verify(await token({ locale: value }))).locale).toBe(expected);
  });

  it('is frozen, raw and nested custom claims included', async () => {
    at(NOW);
    const auth = await verifier().verify(await token({ org: { roles: ['admin'] } }));
    expect(Object.isFrozen(auth)).toBe(true);
    expect(Object.isFrozen(auth.raw)).toBe(true);
    expect(Object.isFrozen(auth.raw.org)).toBe(true);
    expect(Object.isFrozen((auth.raw.org as { roles: string[] }).roles)).toBe(true);
    expect(() => {
      (auth as { userId: string }).userId = 'mallory';
    }).toThrow(TypeError);
  });
});

describe('required claims', () => {
  it.each([
    ['sub missing', { sub: undefined }],
    ['sub ""', { sub: '' }],
    ['sub a number', { sub: 42 }],
    ['sub an object', { sub: { id: 'user_abc' } }],
    ['sub an array', { sub: ['user_abc'] }],
    ['pid missing', { pid: undefined }],
    ['pid ""', { pid: '' }],
    ['pid a number', { pid: 7 }],
    ['pid an object', { pid: {} }],
    ['iss missing', { iss: undefined }],
    ['iss a number', { iss: 1 }],
    ['iat missing', { iat: undefined }],
    ['exp missing', { exp: undefined }],
    ['exp a numeric string', { exp: String(NOW + 600) }],
    ['exp null', { exp: null }],
    ['exp a boolean', { exp: true }],
    ['iat a string', { iat: 'yesterday' }],
    ['nbf a string', { nbf: String(NOW) }],
    ['nbf null', { nbf: null }],
  ])('%s → claims_invalid', async (_, claims) => {
    at(NOW);
    const t = await token(claims);
    await expectAuthError(verifier().verify(t), 'claims_invalid', t);
  });

  it.each([
    ['exp', `"exp":1e400`],
    ['exp', `"exp":-1e400`],
    ['iat', `"iat":1e400`],
    ['nbf', `"nbf":1e999`],
  ])('a non-finite %s (%s parses to ±Infinity) → claims_invalid', async (name, member) => {
    at(NOW);
    const base = { iss: ISSUER, sub: 'u', pid: 'p', iat: NOW, exp: NOW + 600 } as Record<
      string,
      unknown
    >;
    delete base[name];
    const t = await rawToken(`${JSON.stringify(base).slice(0, -1)},${member}}`);
    await expectAuthError(verifier().verify(t), 'claims_invalid', t);
  });
});

describe('dates and clock tolerance (default 30 s)', () => {
  it('exp: valid until exp + 30 s, expired from then on', async () => {
    const t = await token({ exp: NOW });
    at(NOW + 29);
    await expect(verifier().verify(t)).resolves.toMatchObject(EXPECTED_AUTH);
    vi.setSystemTime((NOW + 30) * 1000 - 1);
    await expect(verifier().verify(t)).resolves.toMatchObject(EXPECTED_AUTH);
    at(NOW + 30);
    await expectAuthError(verifier().verify(t), 'token_expired', t);
  });

  it('nbf: honoured when present, with the tolerance', async () => {
    const t = await token({ nbf: NOW + 100 });
    at(NOW + 70);
    await expect(verifier().verify(t)).resolves.toMatchObject(EXPECTED_AUTH);
    vi.setSystemTime((NOW + 70) * 1000 - 1);
    await expectAuthError(verifier().verify(t), 'token_not_yet_valid', t);
  });

  it('iat: may not lie in the future beyond the tolerance', async () => {
    at(NOW);
    await expect(verifier().verify(await token({ iat: NOW + 30 }))).resolves.toMatchObject(
      EXPECTED_AUTH,
    );
    const t = await token({ iat: NOW + 31 });
    await expectAuthError(verifier().verify(t), 'token_not_yet_valid', t);
  });

  it('a clockTolerance of 0 is exact', async () => {
    const t = await token({ exp: NOW + 10, nbf: NOW });
    const strict = verifier({ clockTolerance: 0 });
    at(NOW);
    await expect(strict.verify(t)).resolves.toMatchObject(EXPECTED_AUTH);
    vi.setSystemTime(NOW * 1000 - 1);
    await expectAuthError(strict.verify(t), 'token_not_yet_valid');
    at(NOW + 10);
    await expectAuthError(strict.verify(t), 'token_expired');
  });

  it('a larger clockTolerance widens the window', async () => {
    const t = await token({ exp: NOW });
    at(NOW + 100);
    await expectAuthError(verifier().verify(t), 'token_expired');
    await expect(verifier({ clockTolerance: 120 }).verify(t)).resolves.toMatchObject(EXPECTED_AUTH);
  });
});

describe('audience', () => {
  it('is not checked unless configured', async () => {
    at(NOW);
    for (const aud of [undefined, 'anything', ['a', 'b'], 42]) {
      await expect(verifier().verify(await token({ aud }))).resolves.toMatchObject(EXPECTED_AUTH);
    }
  });

  it.each([
    ['api', 'api', true],
    ['api', ['web', 'api'], true],
    [['api', 'admin'], 'admin', true],
    ['api', 'web', false],
    ['api', ['web'], false],
    ['api', undefined, false],
    ['api', [42], false],
    ['api', { api: true }, false],
  ])('configured %j, aud %j → accepted: %s', async (audience, aud, accepted) => {
    at(NOW);
    const t = await token({ aud });
    const result = verifier({ audience }).verify(t);
    if (accepted) await expect(result).resolves.toMatchObject(EXPECTED_AUTH);
    else await expectAuthError(result, 'audience_mismatch', t);
  });
});

describe('issuer', () => {
  it.each([
    [ISSUER, ISSUER],
    [`${ISSUER}/`, ISSUER],
    [ISSUER, `${ISSUER}/`],
    [`${ISSUER}//`, `${ISSUER}/`],
  ])('configured %s accepts iss %s (trailing slashes ignored)', async (configured, iss) => {
    at(NOW);
    const auth = await verifier({ issuer: configured }).verify(await token({ iss }));
    expect(auth.issuer).toBe(ISSUER);
  });

  it.each([
    'https://evil.torii.so',
    `${ISSUER}/tenant`,
    'https://acme.torii.so.evil.com',
    'http://acme.torii.so',
    '',
  ])('refuses iss %j (issuer_mismatch)', async (iss) => {
    at(NOW);
    const t = await token({ iss });
    await expectAuthError(verifier().verify(t), 'issuer_mismatch', t);
  });
});
