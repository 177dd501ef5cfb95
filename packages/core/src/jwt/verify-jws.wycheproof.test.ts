import { describe, expect, it } from 'vitest';
import { ES256_BACKENDS, useEs256Backend } from '../../test/es256-backends.js';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { type JwsGroup, loadJws } from '../../test/wycheproof.js';
import { ToriiAuthError } from '../errors.js';
import { KeySet, keyNotFound } from '../jwks/key-set.js';
import { decodeBase64Url } from './base64url.js';
import { verifyCompactJws } from './verify-jws.js';

const vectors = loadJws();

/** The groups that concern ES256 verification: the EC P-256 signing keys and the EC encryption keys. */
const groups = vectors.testGroups.filter(
  (g) =>
    (g.public?.kty === 'EC' && g.public.alg === 'ES256') || g.comment === 'ec_key_for_encryption',
);

/** Runs one vector through the JWS layer exactly as the verifier does, with the group's key set. */
async function verifyVector(group: JwsGroup, jws: string | Record<string, unknown>) {
  const keys = await KeySet.import(group.public ? [group.public] : []);
  return verifyCompactJws(typeof jws === 'string' ? jws : JSON.stringify(jws), {
    maxLength: 8192,
    decodePayload: (segment) => decodeBase64Url(segment) ?? new Uint8Array(0),
    getKey: async (kid) => {
      const key = keys.select(kid);
      if (typeof key === 'string') throw keyNotFound(key);
      return key;
    },
  });
}

function find(tcId: number) {
  for (const group of groups) {
    const test = group.tests.find((t) => t.tcId === tcId);
    if (test) return { group, test };
  }
  throw new Error(`no test ${tcId}`);
}

describe.each(ES256_BACKENDS)(
  'Wycheproof JWS vectors (ES256 and ec_key_for_encryption groups) through the JWS layer on %s',
  (_, backend) => {
    useEs256Backend(backend);
    const all = groups.flatMap((group) => group.tests.map((test) => ({ group, test })));

    it('selects the 4 groups: es256, SpecialCaseEs256 and the two ec_key_for_encryption', () => {
      expect(groups.map((g) => g.comment).sort()).toEqual([
        'SpecialCaseEs256',
        'ec_key_for_encryption',
        'ec_key_for_encryption',
        'es256',
      ]);
      expect(all).toHaveLength(41);
    });

    it('verifies every valid vector and rejects every invalid one with a ToriiAuthError', async () => {
      const outcomes: Record<string, number> = {};
      for (const { group, test } of all) {
        const outcome = await verifyVector(group, test.jws).then(
          (r) => {
            expect(new TextDecoder().decode(r.payload)).toBe('foo');
            return 'verified';
          },
          (e: unknown) => {
            expect(e).toBeInstanceOf(ToriiAuthError);
            return (e as ToriiAuthError).code;
          },
        );
        expect({ tcId: test.tcId, verified: outcome === 'verified' }).toEqual({
          tcId: test.tcId,
          verified: test.result === 'valid',
        });
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
      expect(outcomes).toEqual({
        verified: 2,
        signature_invalid: 27,
        token_malformed: 8,
        algorithm_not_allowed: 1,
        key_not_found: 3,
      });
    });

    it.each([
      [21, 'token_malformed'], // signature and its separator missing: two segments
      [23, 'signature_invalid'], // empty payload segment: decodes, the signature does not match
      [24, 'token_malformed'],
      [25, 'key_not_found'], // modified header: its kid now names no key
      [26, 'token_malformed'], // empty header segment
      [27, 'token_malformed'],
      [28, 'token_malformed'],
      [29, 'token_malformed'],
      [30, 'token_malformed'], // empty string
      [19, 'signature_invalid'],
      [20, 'signature_invalid'], // empty signature
      [22, 'signature_invalid'], // modified payload
      [379, 'signature_invalid'], // 65-byte signature
      [380, 'signature_invalid'], // trailing zeros
      [385, 'signature_invalid'], // 75 zero bytes
    ] as const)('tcId %i is refused with %s', async (tcId, code) => {
      const { group, test } = find(tcId);
      await expectAuthError(verifyVector(group, test.jws), code);
    });

    it('refuses the HS256 key-confusion vector before any key is used (algorithm_not_allowed)', async () => {
      const { group, test } = find(31);
      expect(test.comment).toMatch(/SymmetryConfusion/);
      await expectAuthError(verifyVector(group, test.jws), 'algorithm_not_allowed');
    });

    it('refuses the attacker-embedded JWK vector (token_malformed)', async () => {
      const { group, test } = find(32);
      expect(test.comment).toMatch(/EmbeddedJwk/);
      await expectAuthError(verifyVector(group, test.jws), 'token_malformed');
    });

    it.each([354, 356])(
      'refuses a key for encryption (tcId %i: wrong use / key_ops)',
      async (tcId) => {
        const { group, test } = find(tcId);
        await expectAuthError(verifyVector(group, test.jws), 'key_not_found');
      },
    );

    it('refuses the all-zero and out-of-range r/s vectors (signature_invalid)', async () => {
      for (const tcId of [386, 387, 390, 398, 401]) {
        const { group, test } = find(tcId);
        await expectAuthError(verifyVector(group, test.jws), 'signature_invalid');
      }
    });
  },
);
