import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  anyString,
  BASE64URL_CHARS,
  expectAuthOutcome,
  RUNS,
  structured,
} from '../../test/fuzz.js';
import { b64url, createSigner, nowSec, type TestSigner } from '../../test/signer.js';
import { createTokenVerifier, type TokenVerifier } from '../verification/verifier.js';
import { DEFAULT_MAX_TOKEN_BYTES, parseCompactJws } from './compact-jws.js';
import { decodeJsonObject } from './json-object.js';

const ISSUER = 'https://acme.torii.so';
let signer: TestSigner;
let verifier: TokenVerifier;
let token: string;

beforeAll(async () => {
  signer = await createSigner(ISSUER, 'k1');
  verifier = createTokenVerifier({
    issuer: ISSUER,
    jwks: { keys: [signer.jwk] },
    tokenCache: false,
  });
  token = await signer.sign();
});

/** Resolves to the userId, or to the code of a documented ToriiAuthError; fails on anything else. */
async function verdict(candidate: string): Promise<string> {
  return verifier.verify(candidate).then(
    (auth) => `ok:${auth.userId}`,
    (error: unknown) => {
      expectAuthOutcome(error);
      return (error as { code: string }).code;
    },
  );
}

const JSON_PIECES = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ':',
  ',',
  '\\',
  '\\u0075',
  'u',
  '1',
  '-',
  '.',
  'e',
  ' ',
  'null',
  'true',
  '"alg"',
  '"ES256"',
  '"kid"',
  '"k1"',
  '"sub"',
  '"crit"',
  '"jku"',
  '\u00e9',
  '\ud800',
];

/** JSON text: valid JSON values, JSON-shaped noise, or any string. */
const jsonText = fc.oneof(fc.json({ maxDepth: 3 }), structured(JSON_PIECES, 60), anyString(60));

/** Header JSON that gets past `alg` often enough to reach the later checks. */
const headerText = fc.oneof(
  jsonText,
  fc
    .record(
      {
        alg: fc.oneof(fc.constantFrom('ES256', 'none', 'HS256', 'es256'), fc.jsonValue()),
        kid: fc.oneof(fc.constantFrom('k1', 'k2', '__proto__', ''), fc.jsonValue()),
        typ: fc.constant('JWT'),
        crit: fc.jsonValue(),
        jku: fc.constant('https://evil.example/jwks'),
        b64: fc.boolean(),
      },
      { requiredKeys: ['alg'] },
    )
    .map((h) => JSON.stringify(h)),
);

/** Mostly the right value, sometimes any JSON value: so runs reach each claim rule in turn. */
function mostly<T>(right: T): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(right) },
    fc.jsonValue({ maxDepth: 1 }),
    fc.double(),
  );
}

/** Claims JSON: right-shaped claims with wrong-typed or missing members, or any JSON text. */
const payloadText = fc.oneof(
  jsonText,
  fc
    .record(
      {
        iss: mostly(ISSUER),
        sub: mostly('user_abc'),
        pid: mostly('env_xyz'),
        iat: mostly(nowSec()),
        exp: mostly(nowSec() + 600),
        nbf: mostly(nowSec() - 10),
        aud: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: ['iss', 'sub', 'pid', 'iat', 'exp'] },
    )
    .map((p) => JSON.stringify(p)),
);

/** The header torii sends, or any of {@link headerText}. */
const signedHeaderText = fc.oneof(
  { weight: 3, arbitrary: fc.constant('{"alg":"ES256","kid":"k1"}') },
  headerText,
);

describe('fuzzing the compact-JWS parser and the verifier behind it', () => {
  it('any string as a token: a ToriiAuth or a documented ToriiAuthError', async () => {
    const tokenish = fc.oneof(
      structured([...BASE64URL_CHARS, '.', '.', '=', '+', '/', ' '], 200),
      anyString(200),
    );
    await fc.assert(
      fc.asyncProperty(tokenish, async (candidate) => {
        expect(await verdict(candidate)).not.toMatch(/^ok:/);
      }),
      { numRuns: RUNS },
    );
  });

  it('three base64url segments of any header, payload and signature bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        headerText,
        payloadText,
        fc.uint8Array({ maxLength: 80 }),
        async (h, p, s) => {
          expect(await verdict(`${b64url(h)}.${b64url(p)}.${b64url(s)}`)).not.toMatch(/^ok:/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('correctly signed tokens over any header and claims JSON: verified only with the right claims', async () => {
    await fc.assert(
      fc.asyncProperty(signedHeaderText, payloadText, async (h, p) => {
        const result = await verdict(await signer.signRaw(h, p));
        if (result.startsWith('ok:')) {
          const claims = JSON.parse(p) as Record<string, unknown>;
          expect(claims.iss).toBe(ISSUER);
          expect(result).toBe(`ok:${String(claims.sub)}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a valid token changed in one place never verifies', async () => {
    const alphabet = [...BASE64URL_CHARS, '.', '=', ' ', '\u00e9'];
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.constantFrom(...alphabet),
        fc.constantFrom('replace', 'insert', 'delete'),
        async (at, char, edit) => {
          const i = at % token.length;
          const changed =
            edit === 'replace'
              ? token.slice(0, i) + char + token.slice(i + 1)
              : edit === 'insert'
                ? token.slice(0, i) + char + token.slice(i)
                : token.slice(0, i) + token.slice(i + 1);
          const result = await verdict(changed);
          if (changed !== token) expect(result).not.toMatch(/^ok:/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('parseCompactJws alone: a parse or token_malformed, for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(structured([...BASE64URL_CHARS, '.'], 300), anyString(300)),
        (candidate) => {
          try {
            const jws = parseCompactJws(candidate, DEFAULT_MAX_TOKEN_BYTES);
            expect(typeof jws.header).toBe('object');
          } catch (error) {
            expectAuthOutcome(error);
            expect((error as { code: string }).code).toBe('token_malformed');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('fuzzing the strict JSON object parser', () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it('any bytes: null or a plain object equal to what JSON.parse reads; never a throw', () => {
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      jsonText.map(utf8),
      fc.json({ maxDepth: 4 }).map(utf8),
    );
    fc.assert(
      fc.property(input, (bytes) => {
        const value = decodeJsonObject(bytes);
        if (value === null) return;
        expect(typeof value).toBe('object');
        expect(Array.isArray(value)).toBe(false);
        expect(value).toEqual(JSON.parse(new TextDecoder().decode(bytes)));
      }),
      { numRuns: RUNS },
    );
  });

  it('every serialised object is read back as it was', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), (object) => {
        const text = JSON.stringify(object);
        expect(decodeJsonObject(utf8(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('a member named twice anywhere, however escaped, is refused', () => {
    const escaped = (name: string) =>
      JSON.stringify(name).replace(
        /[a-z]/,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
        fc.string(),
        fc.jsonValue({ maxDepth: 1 }),
        fc.boolean(),
        fc.boolean(),
        (object, name, value, nested, escapeName) => {
          const inner = JSON.stringify({ ...object, [name]: value }).slice(1, -1);
          const again = `${escapeName ? escaped(name) : JSON.stringify(name)}:${JSON.stringify(value)}`;
          const withDuplicate = `{${inner === '' ? '' : `${inner},`}${again}}`;
          const text = nested ? `{"outer":[1,${withDuplicate}]}` : withDuplicate;
          expect(decodeJsonObject(utf8(text))).toBeNull();
        },
      ),
      { numRuns: RUNS },
    );
  });
});
