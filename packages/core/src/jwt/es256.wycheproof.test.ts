import { describe, expect, it } from 'vitest';
import { ES256_BACKENDS, useEs256Backend } from '../../test/es256-backends.js';
import { coordinate, hexBytes, loadEcdsaP256P1363 } from '../../test/wycheproof.js';
import { KeySet } from '../jwks/key-set.js';
import { verifyEs256 } from './es256.js';

const vectors = loadEcdsaP256P1363();
const tests = vectors.testGroups.flatMap((group) => group.tests.map((test) => ({ group, test })));

describe('Wycheproof ECDSA P-256 / SHA-256 (IEEE P1363) vectors', () => {
  it('has the 262 vectors: 173 valid, 89 invalid', () => {
    expect(vectors.numberOfTests).toBe(262);
    expect(tests).toHaveLength(262);
    expect(tests.filter((t) => t.test.result === 'valid')).toHaveLength(173);
    expect(tests.filter((t) => t.test.result === 'invalid')).toHaveLength(89);
    expect(
      vectors.testGroups.every((g) => g.sha === 'SHA-256' && g.publicKey.curve === 'secp256r1'),
    ).toBe(true);
  });
});

describe.each(ES256_BACKENDS)(
  'Wycheproof ECDSA P-256 P1363 through verifyEs256 on %s',
  (_, backend) => {
    useEs256Backend(backend);

    it('verifies every valid vector and refuses every invalid one', async () => {
      let verified = 0;
      let refused = 0;
      const wrong: number[] = [];
      for (const { group, test } of tests) {
        // The key goes through the same import path as a JWKS key.
        const set = await KeySet.import([
          {
            kty: 'EC',
            crv: 'P-256',
            x: coordinate(group.publicKey.wx),
            y: coordinate(group.publicKey.wy),
          },
        ]);
        const key = set.select(undefined);
        if (typeof key === 'string') throw new Error(`tcId ${test.tcId}: key not imported`);
        const ok = await verifyEs256(key, hexBytes(test.msg), hexBytes(test.sig));
        if (ok) verified++;
        else refused++;
        if (ok !== (test.result === 'valid')) wrong.push(test.tcId);
      }
      expect(wrong).toEqual([]);
      expect({ verified, refused }).toEqual({ verified: 173, refused: 89 });
    });
  },
);
