// The raw ES256 check both raw-verify children time or count: a token split once into the bytes
// its signature covers and the signature, then one node:crypto.verify (ieee-p1363) of them.

import { verify } from 'node:crypto';

/** @returns {{ data: Buffer, signature: Buffer }} the signing input and the decoded signature */
export function signedParts(token) {
  const dot = token.lastIndexOf('.');
  return {
    data: Buffer.from(token.slice(0, dot)),
    signature: Buffer.from(token.slice(dot + 1), 'base64url'),
  };
}

/** Verifies `parts` with `key` (a KeyObject); throws if a valid token is refused. */
export function checkSignature(key, { data, signature }) {
  if (!verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
    throw new Error('node:crypto.verify refused a valid token');
  }
}
