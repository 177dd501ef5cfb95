import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
} from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { issuerForTest } from '../../test/support/issuer-for-test.js';
import {
  createTestIssuer,
  DEFAULT_TEST_ENVIRONMENT_ID,
  DEFAULT_TEST_USER_ID,
  JWKS_PATH,
  type TestIssuer,
} from './create-test-issuer.js';

afterEach(() => {
  vi.useRealTimers();
});

async function verifyOverHttp(issuer: TestIssuer, token: string) {
  const keys = createRemoteJWKSet(new URL(issuer.jwksUrl));
  return jwtVerify(token, keys, { issuer: issuer.issuer, algorithms: ['ES256'] });
}

describe('createTestIssuer', () => {
  it('serves the JWKS on 127.0.0.1 at the torii path', async () => {
    const issuer = await issuerForTest();
    expect(issuer.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(issuer.jwksUrl).toBe(`${issuer.issuer}${JWKS_PATH}`);

    const response = await fetch(issuer.jwksUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { keys: Array<Record<string, string>> };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      use: 'sig',
      kid: issuer.kid,
    });
    expect(body.keys[0]).not.toHaveProperty('d');
    expect(issuer.requestCount).toBe(1);
  });

  it('signs a token that jose verifies over HTTP, with every torii claim', async () => {
    const issuer = await issuerForTest();
    const before = Math.floor(Date.now() / 1000);
    const { payload, protectedHeader } = await verifyOverHttp(issuer, await issuer.sign());

    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'JWT', kid: issuer.kid });
    expect(payload).toMatchObject({
      iss: issuer.issuer,
      sub: DEFAULT_TEST_USER_ID,
      pid: DEFAULT_TEST_ENVIRONMENT_ID,
      email_verified: true,
      profile_complete: true,
      locale: 'en',
    });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp).toBe((payload.iat ?? 0) + 900);
  });

  it('merges defaultClaims, then per-call claims, and drops claims set to undefined', async () => {
    const issuer = await issuerForTest({
      environmentId: 'env_other',
      defaultClaims: { locale: 'da', org_role: 'member' },
    });
    const token = await issuer.sign({
      sub: 'user_42',
      org_role: 'admin',
      email_verified: undefined,
    });
    const { payload } = await verifyOverHttp(issuer, token);
    expect(payload).toMatchObject({
      sub: 'user_42',
      pid: 'env_other',
      locale: 'da',
      org_role: 'admin',
    });
    expect(payload).not.toHaveProperty('email_verified');
  });

  it('honours expiresIn as seconds or as a duration string', async () => {
    const issuer = await issuerForTest();
    const inSeconds = decodeJwt(await issuer.sign({}, { expiresIn: 60 }));
    const inHours = decodeJwt(await issuer.sign({}, { expiresIn: '2h' }));
    expect((inSeconds.exp ?? 0) - (inSeconds.iat ?? 0)).toBe(60);
    expect((inHours.exp ?? 0) - (inHours.iat ?? 0)).toBe(7200);
    await expect(issuer.sign({}, { expiresIn: 'soon' as '1m' })).rejects.toThrow(/expiresIn/);
  });

  it('follows the system clock (fake timers)', async () => {
    const issuer = await issuerForTest();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const payload = decodeJwt(await issuer.sign());
    expect(payload.iat).toBe(Date.UTC(2030, 0, 1) / 1000);
  });

  describe('deliberately broken tokens', () => {
    it('expired: rejected as expired', async () => {
      const issuer = await issuerForTest();
      const token = await issuer.sign({}, { expired: true });
      await expect(verifyOverHttp(issuer, token)).rejects.toBeInstanceOf(errors.JWTExpired);
      // well past the 30 s tolerance torii verifiers allow
      const keys = createLocalJWKSet(issuer.jwks());
      await expect(jwtVerify(token, keys, { clockTolerance: 30 })).rejects.toBeInstanceOf(
        errors.JWTExpired,
      );
    });

    it('notBefore: not yet valid', async () => {
      const issuer = await issuerForTest();
      const token = await issuer.sign({}, { notBefore: '10m' });
      const payload = decodeJwt(token);
      expect((payload.nbf ?? 0) - (payload.iat ?? 0)).toBe(600);
      await expect(verifyOverHttp(issuer, token)).rejects.toMatchObject({
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim: 'nbf',
      });
    });

    it('issuer: a wrong iss', async () => {
      const issuer = await issuerForTest();
      const token = await issuer.sign({}, { issuer: 'https://evil.example' });
      expect(decodeJwt(token).iss).toBe('https://evil.example');
      await expect(verifyOverHttp(issuer, token)).rejects.toMatchObject({ claim: 'iss' });
    });

    it('kid: an unknown kid names no published key', async () => {
      const issuer = await issuerForTest();
      const token = await issuer.sign({}, { kid: 'no-such-key' });
      expect(decodeProtectedHeader(token).kid).toBe('no-such-key');
      await expect(verifyOverHttp(issuer, token)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    });

    it('kid: null leaves the kid header out', async () => {
      const issuer = await issuerForTest();
      const token = await issuer.sign({}, { kid: null });
      expect(decodeProtectedHeader(token)).not.toHaveProperty('kid');
    });

    it.each(['ES384', 'RS256', 'HS256', 'none'] as const)(
      'alg %s: refused by an ES256-only verifier',
      async (alg) => {
        const issuer = await issuerForTest();
        const token = await issuer.sign({}, { alg });
        expect(decodeProtectedHeader(token)).toMatchObject({ alg, kid: issuer.kid });
        await expect(verifyOverHttp(issuer, token)).rejects.toBeInstanceOf(
          errors.JOSEAlgNotAllowed,
        );
        if (alg === 'none') expect(token.endsWith('.')).toBe(true);
      },
    );

    it('tampered: payload changed after signing', async () => {
      const issuer = await issuerForTest();
      const token = await issuer.sign({ sub: 'user_1' }, { tampered: true });
      expect(decodeJwt(token).sub).toBe('user_1-tampered');
      await expect(verifyOverHttp(issuer, token)).rejects.toBeInstanceOf(
        errors.JWSSignatureVerificationFailed,
      );
    });

    it('header: extra protected-header members, even ones jose refuses to sign', async () => {
      const issuer = await issuerForTest();
      const token = await issuer.sign(
        {},
        { header: { crit: ['x-unknown'], 'x-unknown': 1, jku: 'https://evil.example/jwks' } },
      );
      expect(decodeProtectedHeader(token)).toMatchObject({
        crit: ['x-unknown'],
        jku: 'https://evil.example/jwks',
      });
      await expect(verifyOverHttp(issuer, token)).rejects.toBeInstanceOf(errors.JOSENotSupported);
    });
  });

  describe('keys', () => {
    it('publishes several keys and signs with the one named by kid', async () => {
      const issuer = await issuerForTest({ keys: 3, kid: 'first' });
      const kids = issuer.jwks().keys.map((key) => key.kid);
      expect(kids).toHaveLength(3);
      expect(new Set(kids).size).toBe(3);
      expect(kids[0]).toBe('first');
      const third = kids[2] ?? '';
      const token = await issuer.sign({}, { kid: third });
      const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(issuer.jwks()));
      expect(protectedHeader.kid).toBe(third);
    });

    it('rotateKeys keeps old keys by default and drops them with keepOld: false', async () => {
      const issuer = await issuerForTest();
      const oldKid = issuer.kid;
      const oldToken = await issuer.sign();

      const newKid = await issuer.rotateKeys();
      expect(newKid).not.toBe(oldKid);
      expect(issuer.kid).toBe(newKid);
      expect(issuer.jwks().keys.map((key) => key.kid)).toEqual([newKid, oldKid]);
      expect(decodeProtectedHeader(await issuer.sign()).kid).toBe(newKid);
      await expect(verifyOverHttp(issuer, oldToken)).resolves.toMatchObject({
        payload: { sub: DEFAULT_TEST_USER_ID },
        protectedHeader: { kid: oldKid },
      });

      await issuer.rotateKeys({ keepOld: false });
      expect(issuer.jwks().keys).toHaveLength(1);
      await expect(verifyOverHttp(issuer, oldToken)).rejects.toBeInstanceOf(
        errors.JWKSNoMatchingKey,
      );
    });

    it('a seed derives the same keys every time; different seeds differ', async () => {
      const a = await issuerForTest({ seed: 'torii-dev', keys: 2 });
      const b = await issuerForTest({ seed: 'torii-dev', keys: 2 });
      const c = await issuerForTest({ seed: 'another' });
      expect(a.jwks()).toEqual(b.jwks());
      expect(c.jwks().keys[0]?.x).not.toBe(a.jwks().keys[0]?.x);
      // a token from one process verifies against the other's published keys
      const token = await b.sign({}, { issuer: a.issuer });
      await expect(verifyOverHttp(a, token)).resolves.toMatchObject({
        payload: { sub: DEFAULT_TEST_USER_ID, iss: a.issuer },
      });
    });

    it('rejects a bad key count', async () => {
      await expect(createTestIssuer({ keys: 0 })).rejects.toThrow(
        /keys must be a positive integer/,
      );
    });
  });

  describe('without HTTP', () => {
    it('fetch answers the JWKS path in process and counts requests', async () => {
      const issuer = await issuerForTest({ listen: false, issuer: 'http://localhost:9/' });
      expect(issuer.issuer).toBe('http://localhost:9');
      const keys = createRemoteJWKSet(new URL(issuer.jwksUrl), { [customFetch]: issuer.fetch });
      const token = await issuer.sign();
      await expect(jwtVerify(token, keys, { issuer: issuer.issuer })).resolves.toMatchObject({
        payload: { sub: DEFAULT_TEST_USER_ID, iss: 'http://localhost:9' },
      });
      expect(issuer.requestCount).toBe(1);

      const missing = await issuer.fetch(`${issuer.issuer}/other`);
      expect(missing.status).toBe(404);
      const post = await issuer.fetch(issuer.jwksUrl, { method: 'POST' });
      expect(post.status).toBe(405);
    });

    it('jwks() is a static copy usable by a local key set', async () => {
      const issuer = await issuerForTest({ listen: false });
      const copy = issuer.jwks();
      copy.keys.length = 0;
      expect(issuer.jwks().keys).toHaveLength(1);
      await expect(
        jwtVerify(await issuer.sign(), createLocalJWKSet(issuer.jwks())),
      ).resolves.toMatchObject({ payload: { sub: DEFAULT_TEST_USER_ID } });
    });

    it('refuses an issuer URL on a listening issuer', async () => {
      await expect(createTestIssuer({ issuer: 'http://localhost' })).rejects.toThrow(
        /listen: false/,
      );
    });
  });

  it('setAvailable(false) answers 503 until restored', async () => {
    const issuer = await issuerForTest();
    issuer.setAvailable(false);
    const down = await fetch(issuer.jwksUrl);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('30');
    issuer.setAvailable(true);
    expect((await fetch(issuer.jwksUrl)).status).toBe(200);
    expect(issuer.requestCount).toBe(2);
  });

  it('listens only on loopback', async () => {
    await expect(createTestIssuer({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('close stops the server and is safe to call twice', async () => {
    const issuer = await createTestIssuer();
    await issuer.close();
    await issuer.close();
    await expect(fetch(issuer.jwksUrl)).rejects.toThrow();
  });
});
