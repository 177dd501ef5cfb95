// The hand-written peer for Express (and Nest on Express): what an app writes with jose alone.
// Keys: createLocalJWKSet over the issuer's published JWK set, which imports each key once and
// keeps it. Checks as torii does: ES256 only, the issuer, exp/nbf with jose's defaults.

import { createLocalJWKSet, jwtVerify } from 'jose';

/**
 * @param {{ issuer: string, jwks: { keys: object[] } }} config
 * @returns {(authorization: string | undefined) => Promise<object>} the payload, or throws
 */
export function joseBearerVerifier({ issuer, jwks }) {
  const keys = createLocalJWKSet(jwks);
  const options = { issuer, algorithms: ['ES256'] };
  return async (authorization) => {
    if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) {
      throw new Error('no bearer token');
    }
    const { payload } = await jwtVerify(authorization.slice(7), keys, options);
    return payload;
  };
}
