import { beforeAll, describe, expect, it, vi } from 'vitest';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { b64url, createSigner, nowSec, type TestSigner } from '../../test/signer.js';
import { createTokenVerifier as createVerifier } from '../verification/verifier.js';

/** What the test signer's default claims verify to. */
const EXPECTED_AUTH = { userId: 'user_abc', environmentId: 'env_xyz' };

const ISSUER = 'https://acme.torii.so';
const HEADER = '{"alg":"ES256","kid":"k1"}';
let signer: TestSigner;

beforeAll(async () => {
  signer = await createSigner(ISSUER, 'k1');
});

function verifier(options: { maxTokenBytes?: number } = {}) {
  return createVerifier({
    issuer: ISSUER,
    jwks: { keys: [signer.jwk] },
    tokenCache: false,
    ...options,
  });
}

/** The JSON text of valid claims, with `extra` members spliced in verbatim before the `}`. */
function claimsJson(extra = ''): string {
  const iat = nowSec();
  const base = JSON.stringify({
    iss: ISSUER,
    sub: 'user_abc',
    pid: 'env_xyz',
    iat,
    exp: iat + 600,
  });
  return extra === '' ? base : `${base.slice(0, -1)},${extra}}`;
}

/** Signs arbitrary header and payload bytes (jose would never produce most of them). */
async function signBytes(
  header: Uint8Array | string,
  payload: Uint8Array | string,
): Promise<string> {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    signer.privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${b64url(new Uint8Array(signature))}`;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));

describe('payload bytes that are not plain UTF-8 JSON (validly signed) → token_malformed', () => {
  it.each([
    ['a UTF-8 byte-order mark', concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(claimsJson()))],
    ['a UTF-16 byte-order mark', concat(new Uint8Array([0xff, 0xfe]), utf8(claimsJson()))],
    ['a raw NUL byte inside a string', utf8(claimsJson('"x":"a\u0000b"'))],
    [
      'a surrogate encoded in UTF-8 (CESU)',
      concat(
        utf8(claimsJson().slice(0, -1)),
        utf8(',"x":"'),
        new Uint8Array([0xed, 0xa0, 0x80]),
        utf8('"}'),
      ),
    ],
    [
      'an overlong "/" (C0 AF)',
      concat(
        utf8(claimsJson().slice(0, -1)),
        utf8(',"x":"'),
        new Uint8Array([0xc0, 0xaf]),
        utf8('"}'),
      ),
    ],
    ['a trailing comma', utf8(claimsJson().replace(/}$/, ',}'))],
    ['a comment', utf8(`/*x*/${claimsJson()}`)],
    ['a single-quoted string', utf8(claimsJson("'x':1"))],
    ['NaN', utf8(claimsJson('"x":NaN'))],
    ['two documents', utf8(`${claimsJson()}{}`)],
  ])('%s', async (_, payload) => {
    const token = await signBytes(HEADER, payload);
    await expectAuthError(verifier().verify(token), 'token_malformed', token);
  });

  it('a BOM before the header JSON → token_malformed, before any key lookup', async () => {
    const token = await signBytes(
      concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(HEADER)),
      claimsJson(),
    );
    await expectAuthError(verifier().verify(token), 'token_malformed', token);
  });
});

describe('odd but valid JSON in a validly signed payload is taken verbatim', () => {
  it('an escaped NUL or lone surrogate in sub is kept exactly (no truncation, no repair)', async () => {
    const nul = await signBytes(
      HEADER,
      claimsJson().replace('"user_abc"', '"user_abc\\u0000admin"'),
    );
    expect((await verifier().verify(nul)).userId).toBe('user_abc\u0000admin');
    const lone = await signBytes(HEADER, claimsJson().replace('"user_abc"', '"\\ud800"'));
    expect((await verifier().verify(lone)).userId).toBe('\ud800');
  });

  it.each([
    ['1.0e1', 10],
    ['-0', -0],
    ['1E1', 10],
  ])('iat %s is the number %d', async (literal, value) => {
    const iat = nowSec();
    const json = `{"iss":"${ISSUER}","sub":"u","pid":"p","iat":${literal},"exp":${iat + 600}}`;
    expect((await verifier().verify(await signBytes(HEADER, json))).raw.iat).toBe(value);
  });

  it('an exp beyond 2^53 is a finite number: valid, far in the future', async () => {
    const json = `{"iss":"${ISSUER}","sub":"u","pid":"p","iat":${nowSec()},"exp":9007199254740993}`;
    await expect(verifier().verify(await signBytes(HEADER, json))).resolves.toMatchObject({
      userId: 'u',
      raw: { exp: 9007199254740992 },
    });
  });

  it('exp 1e308 verifies; exp -0 and -1e308 are expired', async () => {
    const at = (exp: string) =>
      `{"iss":"${ISSUER}","sub":"u","pid":"p","iat":${nowSec()},"exp":${exp}}`;
    await expect(verifier().verify(await signBytes(HEADER, at('1e308')))).resolves.toMatchObject({
      userId: 'u',
      environmentId: 'p',
      raw: { exp: 1e308 },
    });
    for (const exp of ['-0', '-1e308', '0']) {
      const token = await signBytes(HEADER, at(exp));
      await expectAuthError(verifier().verify(token), 'token_expired', token);
    }
  });

  it.each([
    ['exp', '"9999999999"'],
    ['iat', '"0"'],
    ['exp', '[9999999999]'],
    ['exp', '{"$date":9999999999}'],
  ])('%s as %s (not a JSON number) → claims_invalid', async (name, literal) => {
    const iat = nowSec();
    const members: Record<string, string> = { iat: String(iat), exp: String(iat + 600) };
    members[name] = literal;
    const json = `{"iss":"${ISSUER}","sub":"u","pid":"p","iat":${members.iat},"exp":${members.exp}}`;
    const token = await signBytes(HEADER, json);
    await expectAuthError(verifier().verify(token), 'claims_invalid', token);
  });

  it.each(['"true"', '"TRUE"', '1', '[true]', '{"value":true}'])(
    'email_verified / impersonating %s is not true',
    async (literal) => {
      const token = await signBytes(
        HEADER,
        claimsJson(`"email_verified":${literal},"impersonating":${literal}`),
      );
      expect(await verifier().verify(token)).toMatchObject({
        emailVerified: false,
        impersonating: false,
      });
    },
  );

  it('"__proto__" and "constructor" members are plain own claims and pollute nothing', async () => {
    const token = await signBytes(
      HEADER,
      claimsJson(
        '"__proto__":{"email_verified":true,"impersonating":true,"polluted":1},"constructor":{"prototype":{"polluted":1}}',
      ),
    );
    const auth = await verifier().verify(token);
    expect(auth).toMatchObject({ emailVerified: false, impersonating: false });
    expect(Object.hasOwn(auth.raw, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(auth.raw)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a claim or header member found only under "__proto__" is absent', async () => {
    const iat = nowSec();
    const noSub = `{"__proto__":{"sub":"user_admin"},"iss":"${ISSUER}","pid":"p","iat":${iat},"exp":${iat + 600}}`;
    const token = await signBytes(HEADER, noSub);
    await expectAuthError(verifier().verify(token), 'claims_invalid', token);
    const noAlg = await signBytes('{"__proto__":{"alg":"ES256"},"kid":"k1"}', claimsJson());
    await expectAuthError(verifier().verify(noAlg), 'algorithm_not_allowed', noAlg);
  });

  it('a "__proto__" duplicate is still a duplicate → token_malformed', async () => {
    const token = await signBytes(HEADER, claimsJson('"__proto__":{},"__proto__":{}'));
    await expectAuthError(verifier().verify(token), 'token_malformed', token);
  });
});

describe('deeply nested JSON: a ToriiAuthError or a verified token, never a crash', () => {
  it('a header nested 10 000 deep is parsed without a stack overflow (then refused by its kid)', async () => {
    const deep = `{"alg":"ES256","kid":"nope","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const token = await signBytes(deep, claimsJson());
    await expectAuthError(verifier({ maxTokenBytes: 64_000 }).verify(token), 'key_not_found');
  });

  it('an unsigned payload nested 10 000 deep → signature_invalid', async () => {
    const token = await signer.sign();
    const [h, , s] = token.split('.');
    const nested = claimsJson(`"x":${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    const forged = `${h}.${b64url(nested)}.${s}`;
    await expectAuthError(verifier({ maxTokenBytes: 64_000 }).verify(forged), 'signature_invalid');
  });

  it.each([10_000, 200_000])(
    'a signed payload nested %d deep verifies and comes back deeply frozen',
    async (depth) => {
      const nested = claimsJson(`"x":${'['.repeat(depth)}${']'.repeat(depth)}`);
      const token = await signBytes(HEADER, nested);
      const auth = await verifier({ maxTokenBytes: 1_000_000 }).verify(token);
      let node = auth.raw.x as unknown[];
      for (let i = 1; i < depth; i++) node = node[0] as unknown[];
      expect(node).toEqual([]);
      expect(Object.isFrozen(node)).toBe(true);
    },
  );
});

describe('header members', () => {
  it.each([null, ['k1'], { id: 'k1' }, true, 1.5])(
    'kid %j (not a string) → token_malformed, before any key lookup',
    async (kid) => {
      const importKey = vi.spyOn(crypto.subtle, 'importKey');
      const token = await signBytes(JSON.stringify({ alg: 'ES256', kid }), claimsJson());
      await expectAuthError(verifier().verify(token), 'token_malformed', token);
      expect(importKey).not.toHaveBeenCalled();
      importKey.mockRestore();
    },
  );

  it('kid "" is just an unknown kid', async () => {
    const token = await signBytes('{"alg":"ES256","kid":""}', claimsJson());
    await expectAuthError(verifier().verify(token), 'key_not_found', token);
  });

  it.each(['es256', 'Es256', 'ES256\u0000', ' ES256', ['ES256'], { name: 'ES256' }])(
    'alg %j → algorithm_not_allowed',
    async (alg) => {
      const token = await signBytes(JSON.stringify({ alg, kid: 'k1' }), claimsJson());
      await expectAuthError(verifier().verify(token), 'algorithm_not_allowed', token);
    },
  );

  it('an escaped "alg" name is the same member: "\\u0061lg":"ES256" verifies', async () => {
    const token = await signBytes('{"\\u0061lg":"ES256","kid":"k1"}', claimsJson());
    await expect(verifier().verify(token)).resolves.toMatchObject(EXPECTED_AUTH);
  });

  it('typ is not used to pick a rule: absent or "JWT" both verify the same', async () => {
    for (const header of ['{"alg":"ES256","kid":"k1"}', '{"alg":"ES256","kid":"k1","typ":"JWT"}']) {
      await expect(verifier().verify(await signBytes(header, claimsJson()))).resolves.toMatchObject(
        {
          userId: 'user_abc',
        },
      );
    }
  });
});
