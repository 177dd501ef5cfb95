/**
 * ES256 signing keys of the test issuer: random ones, or ones derived from a seed so that two
 * processes (the `torii-dev` server and `torii-dev token`) sign with the same key.
 *
 * @module
 */
import { createECDH, createHmac } from 'node:crypto';
import { base64url } from './base64url.js';

/** A public JSON Web Key as published in the issuer's JWKS. (A type alias, not an interface, so it
 * is assignable to index-signature JWK types such as `@torii/core`'s `ToriiJwk`.) */
export type PublicJwk = {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
};

/** A signing key: the private half for signing, the public half for the JWKS. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: PublicJwk;
}

const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** Generate a fresh random ES256 key pair. `kid` defaults to the RFC 7638 thumbprint. */
export async function generateSigningKey(kid?: string): Promise<SigningKey> {
  const pair = (await crypto.subtle.generateKey(ECDSA_P256, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  if (jwk.x === undefined || jwk.y === undefined) {
    throw new Error('torii testing: WebCrypto exported an EC key without coordinates.');
  }
  return buildKey(pair.privateKey, jwk.x, jwk.y, kid);
}

/**
 * Derive an ES256 key pair from `seed` and `index`: the same inputs always give the same key.
 * For local development and tests only — anyone who knows the seed can sign tokens.
 */
export async function deriveSigningKey(
  seed: string,
  index: number,
  kid?: string,
): Promise<SigningKey> {
  let scalar = 0n;
  let bytes = new Uint8Array(32);
  for (let counter = 0; scalar === 0n || scalar >= P256_ORDER; counter++) {
    bytes = new Uint8Array(
      createHmac('sha256', seed).update(`torii-dev-key:${index}:${counter}`).digest(),
    );
    scalar = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  }
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(bytes);
  const point = ecdh.getPublicKey();
  const x = base64url(point.subarray(1, 33));
  const y = base64url(point.subarray(33, 65));
  const privateKey = await crypto.subtle.importKey(
    'jwk',
    { kty: 'EC', crv: 'P-256', x, y, d: base64url(bytes), ext: false },
    ECDSA_P256,
    false,
    ['sign'],
  );
  return buildKey(privateKey, x, y, kid);
}

async function buildKey(
  privateKey: CryptoKey,
  x: string,
  y: string,
  kid: string | undefined,
): Promise<SigningKey> {
  const resolvedKid = kid ?? (await thumbprint(x, y));
  return {
    kid: resolvedKid,
    privateKey,
    publicJwk: { kty: 'EC', crv: 'P-256', x, y, kid: resolvedKid, alg: 'ES256', use: 'sig' },
  };
}

/** RFC 7638 JWK thumbprint of a P-256 public key. */
async function thumbprint(x: string, y: string): Promise<string> {
  const canonical = JSON.stringify({ crv: 'P-256', kty: 'EC', x, y });
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return base64url(new Uint8Array(digest));
}
