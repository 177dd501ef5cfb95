// The token sets of the adapter benchmark, minted by a local torii issuer (@torii/testing) that
// serves its JWKS on loopback: the torii adapters fetch the keys from it like from a real issuer,
// the peers get the same public key up front (JWK set and PEM).

import { createPublicKey } from 'node:crypto';
import { createTestIssuer } from '@torii/testing';

/**
 * @param {{ unique: number, users: number, invalid: number }} counts
 * @returns {Promise<{ issuer: import('@torii/testing').TestIssuer, keys: { jwks: object, pem: string }, tokens: { same: string, unique: string[], users: string[], invalid: string[] } }>}
 */
export async function mintTokenSets(counts) {
  const issuer = await createTestIssuer();
  const jwks = issuer.jwks();
  const pem = createPublicKey({ key: jwks.keys[0], format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  // Long enough for the longest run; torii's cache keeps a token until its exp.
  const long = { expiresIn: '6h' };
  const many = (n, claims, options) =>
    Promise.all(Array.from({ length: n }, (_, i) => issuer.sign(claims(i), options)));

  const tokens = {
    same: await issuer.sign({ sub: 'user_same' }, long),
    unique: await many(counts.unique, (i) => ({ sub: `user_unique_${i}` }), long),
    users: await many(counts.users, (i) => ({ sub: `user_${i}` }), long),
    // Well-formed, right key and issuer, bad signature (payload changed after signing).
    invalid: await many(counts.invalid, (i) => ({ sub: `user_bad_${i}` }), {
      ...long,
      tampered: true,
    }),
  };
  return { issuer, keys: { jwks, pem }, tokens };
}
