/**
 * Compact JWS signing, including the algorithms a torii verifier must refuse. Written on
 * WebCrypto rather than jose on purpose: jose will not sign tokens with unknown `crit` headers or
 * `alg: none`, and a test kit has to be able to make exactly those.
 *
 * @module
 */
import { base64url } from './base64url.js';
import type { SigningKey } from './keys.js';

/** Algorithms the test issuer can sign with. Only `ES256` is valid for torii. */
export type TestAlgorithm = 'ES256' | 'ES384' | 'RS256' | 'HS256' | 'none';

/** Keys made on first use for the algorithms torii refuses. */
export interface OtherAlgorithmKeys {
  es384?: CryptoKey;
  rs256?: CryptoKey;
}

/** Encode header and payload, sign with `alg`, and return `header.payload.signature`. */
export async function signCompactJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  alg: TestAlgorithm,
  key: SigningKey,
  otherKeys: OtherAlgorithmKeys,
): Promise<string> {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const data = new TextEncoder().encode(signingInput);
  const signature = await signBytes(data, alg, key, otherKeys);
  return `${signingInput}.${base64url(signature)}`;
}

async function signBytes(
  data: Uint8Array<ArrayBuffer>,
  alg: TestAlgorithm,
  key: SigningKey,
  otherKeys: OtherAlgorithmKeys,
): Promise<Uint8Array> {
  switch (alg) {
    case 'ES256':
      return sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, data);
    case 'ES384': {
      otherKeys.es384 ??= (
        (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
          'sign',
          'verify',
        ])) as CryptoKeyPair
      ).privateKey;
      return sign({ name: 'ECDSA', hash: 'SHA-384' }, otherKeys.es384, data);
    }
    case 'RS256': {
      otherKeys.rs256 ??= (
        (await crypto.subtle.generateKey(
          {
            name: 'RSASSA-PKCS1-v1_5',
            modulusLength: 2048,
            publicExponent: new Uint8Array([1, 0, 1]),
            hash: 'SHA-256',
          },
          false,
          ['sign', 'verify'],
        )) as CryptoKeyPair
      ).privateKey;
      return sign({ name: 'RSASSA-PKCS1-v1_5' }, otherKeys.rs256, data);
    }
    case 'HS256': {
      // The classic key-confusion attack: HMAC keyed with the issuer's *public* key.
      const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
      const hmacKey = await crypto.subtle.importKey(
        'raw',
        secret,
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      return sign({ name: 'HMAC' }, hmacKey, data);
    }
    case 'none':
      return new Uint8Array(0);
    default:
      throw new TypeError(
        `torii testing: unknown alg ${JSON.stringify(alg)}. Use one of ES256, ES384, RS256, HS256, none.`,
      );
  }
}

async function sign(
  algorithm: AlgorithmIdentifier | EcdsaParams,
  key: CryptoKey,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign(algorithm, key, data));
}
