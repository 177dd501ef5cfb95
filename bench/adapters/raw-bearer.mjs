// The "floor" variant: a server that does the least a verification can do, one raw
// node:crypto.verify of the token's ES256 signature with a KeyObject built once, and nothing else
// (no parse of header or claims). It shows what a signature check costs inside a real server on
// this machine, so torii's and the peers' added CPU can be read against it as well as against the
// in-process raw verify.

import { createPublicKey, verify } from 'node:crypto';

/**
 * @param {{ jwks: { keys: object[] } }} config
 * @returns {(authorization: string | undefined) => boolean} whether the signature verifies
 */
export function rawBearerCheck({ jwks }) {
  const key = createPublicKey({ key: jwks.keys[0], format: 'jwk' });
  return (authorization) => {
    if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return false;
    const token = authorization.slice(7);
    const dot = token.lastIndexOf('.');
    if (dot < 0) return false;
    return verify(
      'sha256',
      Buffer.from(token.slice(0, dot)),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(token.slice(dot + 1), 'base64url'),
    );
  };
}
