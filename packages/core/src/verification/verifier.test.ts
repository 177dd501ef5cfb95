import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { type JwksServer, startJwksServer } from '../../test/jwks-server.js';
import { b64url, createSigner, type TestSigner, toriiClaims } from '../../test/signer.js';
import { ToriiAuthError, ToriiConfigError } from '../errors.js';
import { authenticateRequest, createVerifier } from '../http/request-verifier.js';
import type { Verifier } from '../http/types.js';
import type { RequestLike } from '../request-like.js';
import { verifyToken } from './verifier.js';

/** What the test signer's default claims verify to. */
const EXPECTED_AUTH = { userId: 'user_abc', environmentId: 'env_xyz' };

let jwks: JwksServer;
let attacker: JwksServer;
let signer: TestSigner;
let verifier: Verifier;

beforeEach(async () => {
  jwks = await startJwksServer();
  attacker = await startJwksServer();
  signer = await createSigner(jwks.issuer, 'k1');
  jwks.setKeys(signer.jwk);
  verifier = createVerifier({ issuer: jwks.issuer, tokenCache: false });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await jwks.close();
  await attacker.close();
});

const segments = (token: string): [string, string, string] =>
  token.split('.') as [string, string, string];
const json = (segment: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;

/** A token with valid torii claims under the raw `headerJson` (headers jose would not write). */
const withHeader = (headerJson: string): Promise<string> =>
  signer.signRaw(headerJson, JSON.stringify(toriiClaims(jwks.issuer)));

/** Expects `code`, and that no key was fetched for it (the check came before any key lookup). */
async function expectRefusedBeforeKeys(token: string, code: ToriiAuthError['code']): Promise<void> {
  await expectAuthError(verifier.verify(token), code, token);
  expect(jwks.requests).toBe(0);
}

describe('a valid token', () => {
  it('verifies (control for every attack below)', async () => {
    const auth = await verifier.verify(await signer.sign());
    expect(auth.userId).toBe('user_abc');
  });
});

describe('attacks', () => {
  it('alg "none" → algorithm_not_allowed, before any key lookup', async () => {
    const [, payload] = segments(await signer.sign());
    for (const alg of ['none', 'None', 'NONE']) {
      const token = `${b64url(JSON.stringify({ alg, kid: 'k1' }))}.${payload}.`;
      await expectRefusedBeforeKeys(token, 'algorithm_not_allowed');
    }
  });

  it('HS256 signed with the public key (JWK and PEM) as the secret → algorithm_not_allowed', async () => {
    const claims = toriiClaims(jwks.issuer);
    const pem = await exportSPKI(signer.publicKey);
    for (const secret of [JSON.stringify(signer.jwk), pem, signer.jwk.x as string]) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .sign(new TextEncoder().encode(secret));
      await expectRefusedBeforeKeys(token, 'algorithm_not_allowed');
    }
  });

  it.each(['ES384', 'ES512', 'RS256', 'PS256', 'EdDSA'] as const)(
    'a real %s token → algorithm_not_allowed',
    async (alg) => {
      const { privateKey } = await generateKeyPair(alg);
      const token = await new SignJWT(toriiClaims(jwks.issuer))
        .setProtectedHeader({ alg, kid: 'k1' })
        .sign(privateKey);
      await expectRefusedBeforeKeys(token, 'algorithm_not_allowed');
    },
  );

  it.each(['es256', 'ES256 ', '', null])('alg %j → algorithm_not_allowed', async (alg) => {
    const token = await withHeader(JSON.stringify({ alg, kid: 'k1' }));
    await expectRefusedBeforeKeys(token, 'algorithm_not_allowed');
  });

  it('an embedded attacker jwk → token_malformed; the key is never used', async () => {
    const evil = await createSigner(jwks.issuer, 'k1');
    const token = await evil.sign({}, { jwk: evil.jwk as never });
    await expectRefusedBeforeKeys(token, 'token_malformed');
  });

  it.each(['jku', 'x5u'] as const)(
    'a %s header → token_malformed, and its URL receives no request',
    async (name) => {
      const evil = await createSigner(jwks.issuer, 'evil');
      attacker.setKeys(evil.jwk);
      const url = `${attacker.issuer}/_torii/.well-known/jwks.json`;
      const token = await evil.sign({}, { [name]: url });
      await expectRefusedBeforeKeys(token, 'token_malformed');
      // Also with a kid torii knows, so a lookup would succeed if the header were followed.
      const known = await evil.sign({}, { [name]: url, kid: 'k1' });
      await expectRefusedBeforeKeys(known, 'token_malformed');
      expect(attacker.paths).toEqual([]);
    },
  );

  it('an x5c header → token_malformed', async () => {
    const token = await signer.sign({}, { x5c: ['MIIBszCCAVmgAwIBAgIJAK'] });
    await expectRefusedBeforeKeys(token, 'token_malformed');
  });

  it('a tampered payload → signature_invalid', async () => {
    const [header, payload, signature] = segments(await signer.sign());
    const claims = { ...json(payload), sub: 'user_admin' };
    const token = `${header}.${b64url(JSON.stringify(claims))}.${signature}`;
    await expectAuthError(verifier.verify(token), 'signature_invalid', token);
  });

  it('a token of another key under the same kid → signature_invalid', async () => {
    const other = await createSigner(jwks.issuer, 'k1');
    const token = await other.sign();
    await expectAuthError(verifier.verify(token), 'signature_invalid', token);
  });

  it('an all-zero 64-byte signature (CVE-2022-21449) → signature_invalid, Web Crypto not called', async () => {
    const [header, payload] = segments(await signer.sign());
    await verifier.warmup();
    const verify = vi.spyOn(crypto.subtle, 'verify');
    const token = `${header}.${payload}.${b64url(new Uint8Array(64))}`;
    await expectAuthError(verifier.verify(token), 'signature_invalid', token);
    expect(verify).not.toHaveBeenCalled();
  });

  it('an empty or truncated signature → signature_invalid', async () => {
    const [header, payload, signature] = segments(await signer.sign());
    await expectAuthError(verifier.verify(`${header}.${payload}.`), 'signature_invalid');
    const short = b64url(Buffer.from(signature, 'base64url').subarray(0, 63));
    await expectAuthError(verifier.verify(`${header}.${payload}.${short}`), 'signature_invalid');
  });

  it('a DER-encoded ECDSA signature → signature_invalid', async () => {
    const [header, payload] = segments(await signer.sign());
    const der = Buffer.concat([
      Buffer.from([0x30, 0x44, 0x02, 0x20]),
      Buffer.alloc(32, 1),
      Buffer.from([0x02, 0x20]),
      Buffer.alloc(32, 1),
    ]);
    await expectAuthError(
      verifier.verify(`${header}.${payload}.${b64url(der)}`),
      'signature_invalid',
    );
  });

  it('an unknown crit → token_malformed', async () => {
    // jose refuses to produce an unknown crit; sign it by hand.
    const raw = await withHeader('{"alg":"ES256","kid":"k1","crit":["exp"],"exp":1}');
    await expectRefusedBeforeKeys(raw, 'token_malformed');
    const empty = await withHeader('{"alg":"ES256","kid":"k1","crit":[]}');
    await expectRefusedBeforeKeys(empty, 'token_malformed');
  });

  it('b64: false (unencoded payload) → token_malformed', async () => {
    const token = await withHeader('{"alg":"ES256","kid":"k1","b64":false,"crit":["b64"]}');
    await expectRefusedBeforeKeys(token, 'token_malformed');
    const withoutCrit = await withHeader('{"alg":"ES256","kid":"k1","b64":false}');
    await expectRefusedBeforeKeys(withoutCrit, 'token_malformed');
  });

  it('a non-string kid → token_malformed', async () => {
    const token = await withHeader('{"alg":"ES256","kid":1}');
    await expectRefusedBeforeKeys(token, 'token_malformed');
  });

  it.each([
    ['two segments', (h: string, p: string, _s: string) => `${h}.${p}`],
    ['four segments', (h: string, p: string, s: string) => `${h}.${p}.${s}.${s}`],
    ['one segment', (h: string) => h],
    ['empty header', (_h: string, p: string, s: string) => `.${p}.${s}`],
    ['a non-JSON header', (_h: string, p: string, s: string) => `${b64url('alg=ES256')}.${p}.${s}`],
    [
      'a JSON-array header',
      (_h: string, p: string, s: string) => `${b64url('["ES256"]')}.${p}.${s}`,
    ],
    ['a "*" in the payload', (h: string, p: string, s: string) => `${h}.${p.slice(0, -1)}*.${s}`],
    [
      'standard base64 chars',
      (h: string, p: string, s: string) => `${h}.${p}.${s.replace(/-|_/g, '+')}+`,
    ],
  ])('%s → token_malformed, before any key lookup', async (_, build) => {
    const [h, p, s] = segments(await signer.sign());
    await expectRefusedBeforeKeys(build(h, p, s), 'token_malformed');
  });

  it.each([
    ['not JSON', 'sub=user_abc'],
    ['a JSON array', JSON.stringify([toriiClaims('x')])],
    ['a JSON string', '"claims"'],
    ['null', 'null'],
  ])(
    'a validly signed payload that is %s → token_malformed, before any key lookup',
    async (_, payload) => {
      const token = await signer.signRaw('{"alg":"ES256","kid":"k1"}', payload);
      await expectRefusedBeforeKeys(token, 'token_malformed');
    },
  );

  it('a 200 KB token → token_malformed before any parsing or crypto', async () => {
    const [h, , s] = segments(await signer.sign());
    const token = `${h}.${b64url(JSON.stringify({ ...toriiClaims(jwks.issuer), pad: 'x'.repeat(150_000) }))}.${s}`;
    expect(token.length).toBeGreaterThan(200_000);
    const verify = vi.spyOn(crypto.subtle, 'verify');
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const parse = vi.spyOn(JSON, 'parse');
    const error = await expectAuthError(verifier.verify(token), 'token_malformed');
    expect(error.message).toContain('8192');
    expect(verify).not.toHaveBeenCalled();
    expect(importKey).not.toHaveBeenCalled();
    expect(parse).not.toHaveBeenCalled();
    expect(jwks.requests).toBe(0);
  });

  it('maxTokenBytes raises or lowers the cap', async () => {
    const token = await signer.sign();
    await expectAuthError(
      createVerifier({ issuer: jwks.issuer, maxTokenBytes: token.length - 1 }).verify(token),
      'token_malformed',
    );
    await expect(
      createVerifier({ issuer: jwks.issuer, maxTokenBytes: token.length }).verify(token),
    ).resolves.toMatchObject(EXPECTED_AUTH);
  });
});

describe('strictness beyond jose', () => {
  /** The token with one byte of the signature's last char flipped to a non-canonical spelling. */
  function nonCanonicalLastChar(token: string): string {
    const [h, p, s] = segments(token);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(s.at(-1) as string);
    // 64 bytes → 86 chars: the last char carries 2 data bits and 4 unused (zero) bits.
    const spelled = `${h}.${p}.${s.slice(0, -1)}${alphabet[last | 1]}`;
    expect(Buffer.from(spelled.split('.')[2] as string, 'base64url')).toEqual(
      Buffer.from(s, 'base64url'),
    );
    return spelled;
  }

  it.each([
    [
      '"=" padding on a segment',
      (t: string) => {
        const [h, p, s] = segments(t);
        return `${h}.${p}${'='.repeat((4 - (p.length % 4)) % 4 || 4)}.${s}`;
      },
    ],
    ['"==" padding on the signature', (t: string) => `${t}==`],
    ['a space inside', (t: string) => t.replace('.', ' .')],
    ['a newline after', (t: string) => `${t}\n`],
    ['a space after', (t: string) => `${t} `],
    ['a space before', (t: string) => ` ${t}`],
    [
      'a tab inside the payload',
      (t: string) => {
        const [h, p, s] = segments(t);
        return `${h}.${p.slice(0, 10)}\t${p.slice(10)}.${s}`;
      },
    ],
    ['a CRLF inside', (t: string) => t.replace('.', '\r\n.')],
    ['a non-canonical last char of the signature', nonCanonicalLastChar],
  ])('%s → token_malformed', async (_, mangle) => {
    const token = mangle(await signer.sign());
    await expectAuthError(verifier.verify(token), 'token_malformed');
  });

  // The claims decoder reads the payload with atob, which takes all of these to the same bytes:
  // refusing them is the parser's job, before any key is looked up.
  it.each([
    [
      'in standard base64 ("+" and "/")',
      (p: string) => p.replaceAll('-', '+').replaceAll('_', '/'),
    ],
    [
      'with a non-canonical last char',
      (p: string) => {
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const last = alphabet.indexOf(p.at(-1) as string);
        return `${p.slice(0, -1)}${alphabet[last | (p.length % 4 === 2 ? 15 : 3)]}`;
      },
    ],
  ])('the payload %s → token_malformed, before any key lookup', async (_, respell) => {
    // A claim whose bytes encode to "-" and "_" (">" and "?" runs), at whatever offset.
    let payload = '';
    for (let pad = 0; !/-/.test(payload) || !/_/.test(payload) || payload.length % 4 === 0; pad++) {
      const claims = { ...toriiClaims(jwks.issuer), note: `${'x'.repeat(pad)}>>>???` };
      payload = b64url(JSON.stringify(claims));
    }
    const [h, p, s] = segments(
      await signer.signRaw(
        '{"alg":"ES256","kid":"k1"}',
        Buffer.from(payload, 'base64url').toString(),
      ),
    );
    expect(p).toBe(payload);
    const respelled = respell(p);
    expect(respelled).not.toBe(p);
    expect(Buffer.from(respelled, 'base64')).toEqual(Buffer.from(p, 'base64url'));
    await expectRefusedBeforeKeys(`${h}.${respelled}.${s}`, 'token_malformed');
  });

  it('duplicate member names in the payload or header → token_malformed', async () => {
    const claims = JSON.stringify(toriiClaims(jwks.issuer));
    const payload = `${claims.slice(0, -1)},"sub":"user_admin"}`;
    await expectAuthError(
      verifier.verify(await signer.signRaw('{"alg":"ES256","kid":"k1"}', payload)),
      'token_malformed',
    );
    const escaped = `${claims.slice(0, -1)},"s\\u0075b":"user_admin"}`;
    await expectAuthError(
      verifier.verify(await signer.signRaw('{"alg":"ES256","kid":"k1"}', escaped)),
      'token_malformed',
    );
    await expectAuthError(
      verifier.verify(await signer.signRaw('{"alg":"HS256","kid":"k1","alg":"ES256"}', claims)),
      'token_malformed',
    );
  });

  it('a kid that is a 10 KB string is an unknown kid, not an error of another kind', async () => {
    const big = createVerifier({ issuer: jwks.issuer, maxTokenBytes: 32_768 });
    await expectAuthError(
      big.verify(await signer.sign({}, { kid: 'k'.repeat(10_240) })),
      'key_not_found',
    );
  });
});

describe('a token passed wrong', () => {
  it.each([
    ['with its Bearer scheme', (t: string) => `Bearer ${t}`, 'It starts with the "Bearer " scheme'],
    [
      'with a lower-case scheme and a tab',
      (t: string) => `bearer\t${t}`,
      'It starts with the "Bearer " scheme',
    ],
    ['as a JSON string', (t: string) => JSON.stringify(t), 'It is wrapped in quotes'],
    ['untrimmed', (t: string) => ` ${t}\n`, 'It has whitespace around it: trim it.'],
  ])('%s → token_malformed that says what to fix, without the token', async (_, spoil, hint) => {
    const token = await signer.sign();
    const error = await expectAuthError(verifier.verify(spoil(token)), 'token_malformed', token);
    expect(error.message).toContain(hint);
    expect(jwks.requests).toBe(0);
  });

  it('a token that is only malformed adds no hint', async () => {
    const [h, p, s] = segments(await signer.sign());
    const error = await expectAuthError(verifier.verify(`${h}.${p}+.${s}`), 'token_malformed');
    expect(error.message).toBe(
      'torii: the token is not canonical base64url (only A-Z a-z 0-9 - _, no padding, no whitespace).',
    );
  });
});

describe('key selection', () => {
  it('a kid-less token verifies against a single-key set and is refused with several keys', async () => {
    const kidless = await createSigner(jwks.issuer, null);
    jwks.setKeys(kidless.jwk);
    await expect(verifier.verify(await kidless.sign())).resolves.toMatchObject(EXPECTED_AUTH);

    const other = await startJwksServer();
    try {
      const a = await createSigner(other.issuer, null);
      const b = await createSigner(other.issuer, 'b');
      other.setKeys(a.jwk, b.jwk);
      const v = createVerifier({ issuer: other.issuer });
      await expectAuthError(v.verify(await a.sign()), 'key_not_found');
    } finally {
      await other.close();
    }
  });

  it('two different keys under one kid → key_not_found, even for a token of one of them', async () => {
    const twin = await createSigner(jwks.issuer, 'k1');
    jwks.setKeys(signer.jwk, twin.jwk);
    await expectAuthError(verifier.verify(await signer.sign()), 'key_not_found');
  });

  it('a JWKS key with an invalid-curve point, a 33-byte coordinate or a d is ignored, not a 500', async () => {
    const a = await createSigner(jwks.issuer, 'a');
    const b = await createSigner(jwks.issuer, 'b');
    const c = await createSigner(jwks.issuer, 'c');
    const priv = { ...(await exportJWK(c.privateKey)), kid: 'c' };
    jwks.setKeys(
      { ...a.jwk, y: signer.jwk.y },
      {
        ...b.jwk,
        x: b64url(Buffer.concat([Buffer.from([0]), Buffer.from(b.jwk.x as string, 'base64url')])),
      },
      priv,
      signer.jwk,
    );
    await expect(verifier.verify(await signer.sign())).resolves.toMatchObject(EXPECTED_AUTH);
    for (const s of [a, b, c])
      await expectAuthError(verifier.verify(await s.sign()), 'key_not_found');
  });
});

describe('promises and errors', () => {
  it('verify, authenticate and the one-shot functions never throw synchronously', async () => {
    const calls = [
      () => verifier.verify(undefined as unknown as string),
      () => verifier.verify(''),
      () => verifier.authenticate({}),
      () => verifier.authenticate(null as unknown as RequestLike),
      () => verifyToken('x', { issuer: 'http://acme.torii.so' }),
      () => verifyToken('x', undefined as never),
      () => authenticateRequest({}, { issuer: 'not a url' }),
    ];
    for (const call of calls) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }).not.toThrow();
      await expect(promise).rejects.toBeInstanceOf(Error);
    }
    await expectAuthError(verifier.verify(''), 'token_missing');
    await expectAuthError(verifier.authenticate({}), 'token_missing');
    await expect(verifyToken('x', { issuer: 'http://acme.torii.so' })).rejects.toBeInstanceOf(
      ToriiConfigError,
    );
  });

  it('verifyToken and authenticateRequest verify like a verifier', async () => {
    const token = await signer.sign();
    expect((await verifyToken(token, { issuer: jwks.issuer })).userId).toBe('user_abc');
    const auth = await authenticateRequest(
      { headers: { 'x-torii-token': `Bearer ${token}` } },
      { issuer: jwks.issuer, header: 'X-Torii-Token' },
    );
    expect(auth.environmentId).toBe('env_xyz');
  });

  it('errors are ToriiAuthError with a code and never contain the token', async () => {
    const token = await signer.sign({ exp: 1 });
    const error = await expectAuthError(verifier.verify(token), 'token_expired', token);
    expect(error).toBeInstanceOf(ToriiAuthError);
    expect(error.name).toBe('ToriiAuthError');
    expect(String(error.stack)).not.toContain(token);
  });

  it('exposes the normalised issuer', () => {
    expect(createVerifier({ issuer: `${jwks.issuer}///` }).issuer).toBe(jwks.issuer);
    expect(Object.isFrozen(verifier)).toBe(true);
  });
});
