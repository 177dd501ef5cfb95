import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  anyString,
  BASE64URL_CHARS,
  expectAuthOutcome,
  RUNS,
  structured,
} from '../../test/fuzz.js';
import { createSigner } from '../../test/signer.js';
import { ToriiAuthError } from '../errors.js';
import { DEFAULT_MAX_TOKEN_BYTES } from '../jwt/compact-jws.js';
import { extractBearerToken, maxHeaderLength } from './bearer-token.js';
import { createVerifier } from './request-verifier.js';
import type { Verifier } from './types.js';

const HEADER_PIECES = [
  'Bearer',
  'bearer',
  'BEARER',
  'Basic',
  ' ',
  '  ',
  '\t',
  '\r',
  '\n',
  '\u00a0',
  '.',
  '..',
  '"',
  ',',
  '=',
  '{',
  '}',
  ...BASE64URL_CHARS.slice(0, 20),
  '-',
  '_',
];

const headerValue = fc.oneof(structured(HEADER_PIECES), anyString());
const headerValues = fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 }));

/**
 * What the header reader answered before it walked indices: the regex version it replaced, kept
 * here as the oracle for values within the length cap (short inputs, so its backtracking is cheap).
 */
function regexReference(values: readonly string[]): string | 'token_missing' | 'token_malformed' {
  if (values.length > 1 && values.some((v) => v !== values[0])) return 'token_malformed';
  const value = (values[0] ?? '').replace(/^[ \t]+|[ \t]+$/g, '');
  const scheme = /^bearer(?:[ \t]+|$)/i.exec(value);
  const token = scheme === null ? '' : value.slice(scheme[0].length);
  return token.length === 0 ? 'token_missing' : token;
}

function outcome(run: () => string): string {
  try {
    return run();
  } catch (error) {
    expectAuthOutcome(error);
    return (error as ToriiAuthError).code;
  }
}

let verifier: Verifier;
let token: string;

beforeAll(async () => {
  const signer = await createSigner('https://acme.torii.so');
  token = await signer.sign();
  verifier = createVerifier({
    issuer: 'https://acme.torii.so',
    jwks: { keys: [signer.jwk] },
    tokenCache: false,
  });
});

describe('fuzzing the Authorization header reader', () => {
  it('any header value: a token or token_missing / token_malformed, and nothing else', () => {
    fc.assert(
      fc.property(headerValues, (value) => {
        const result = outcome(() => extractBearerToken({ authorization: value }));
        if (result !== 'token_missing' && result !== 'token_malformed') {
          expect(result.length).toBeGreaterThan(0);
          expect(result).not.toMatch(/^[ \t]|[ \t]$/);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('within the cap, the same answer as the regex reader it replaced', () => {
    fc.assert(
      fc.property(headerValues, (value) => {
        const values = typeof value === 'string' ? [value] : value;
        fc.pre(values.every((v) => v.length <= maxHeaderLength(DEFAULT_MAX_TOKEN_BYTES)));
        expect(outcome(() => extractBearerToken({ authorization: value }))).toBe(
          regexReference(values),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('past the cap, token_malformed whatever the value holds', () => {
    const filler = fc.constantFrom(' ', '\t', 'a', 'Bearer ', '.');
    fc.assert(
      fc.property(headerValue, filler, headerValue, (head, fill, tail) => {
        const value = `${head}${fill.repeat(Math.ceil(9000 / fill.length))}${tail}`;
        expect(outcome(() => extractBearerToken({ authorization: value }))).toBe('token_malformed');
      }),
      { numRuns: 200 },
    );
  });

  it('whitespace and case around a real token never change the verified user', async () => {
    const space = structured([' ', '\t'], 5);
    await fc.assert(
      fc.asyncProperty(
        space,
        fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR'),
        structured([' ', '\t'], 5).filter((s) => s.length > 0),
        space,
        async (before, scheme, separator, after) => {
          const auth = await verifier.authenticate({
            authorization: `${before}${scheme}${separator}${token}${after}`,
          });
          expect(auth.userId).toBe('user_abc');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('through the verifier: any header resolves or rejects with a documented ToriiAuthError', async () => {
    await fc.assert(
      fc.asyncProperty(headerValues, async (value) => {
        await verifier
          .authenticate({ authorization: value })
          .then((auth) => expect(auth.userId).toBe('user_abc'), expectAuthOutcome);
      }),
      { numRuns: RUNS },
    );
  });
});
