/**
 * Real ES256 key pairs and tokens for tests, minted with jose (and raw Web Crypto for tokens jose
 * would refuse to produce).
 *
 * @module
 */
import { exportJWK, generateKeyPair, type JWTHeaderParameters, SignJWT } from 'jose';

/** Encodes bytes or a string as base64url. */
export function b64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64url');
}

/** An ES256 key pair with its public JWK. */
export interface TestSigner {
  readonly kid: string | undefined;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** The public JWK as a JWKS would publish it (`kid`, `alg: ES256`, `use: sig`). */
  readonly jwk: Record<string, unknown>;
  /** Signs a JWT with jose: valid torii claims for `issuer`, overridden by `claims`. */
  sign(claims?: Record<string, unknown>, header?: Partial<JWTHeaderParameters>): Promise<string>;
  /** Signs raw header and payload JSON text (any bytes jose would not produce). */
  signRaw(headerJson: string, payloadJson: string): Promise<string>;
}

/** Seconds since the epoch, from `Date.now()` (fake timers apply). */
export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

/** Valid torii claims for `issuer`. */
export function toriiClaims(issuer: string): Record<string, unknown> {
  const iat = nowSec();
  return { iss: issuer, sub: 'user_abc', pid: 'env_xyz', iat, exp: iat + 600 };
}

/**
 * Generates an ES256 key pair. Tokens get `kid` in their header unless `kid` is `null`.
 *
 * @example
 * ```ts
 * const signer = await createSigner(issuer, 'k1');
 * const token = await signer.sign({ email_verified: true });
 * ```
 */
export async function createSigner(issuer: string, kid: string | null = 'k1'): Promise<TestSigner> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const exported = await exportJWK(publicKey);
  const jwk: Record<string, unknown> = { ...exported, alg: 'ES256', use: 'sig' };
  if (kid !== null) jwk.kid = kid;
  return {
    kid: kid ?? undefined,
    privateKey,
    publicKey,
    jwk,
    async sign(claims = {}, header = {}) {
      const payload = { ...toriiClaims(issuer), ...claims };
      for (const [name, value] of Object.entries(payload)) {
        if (value === undefined) delete payload[name];
      }
      const protectedHeader: JWTHeaderParameters = { alg: 'ES256', ...header };
      if (kid !== null && !('kid' in header)) protectedHeader.kid = kid;
      return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(privateKey);
    },
    async signRaw(headerJson, payloadJson) {
      const input = `${b64url(headerJson)}.${b64url(payloadJson)}`;
      const signature = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        privateKey,
        new TextEncoder().encode(input),
      );
      return `${input}.${b64url(new Uint8Array(signature))}`;
    },
  };
}
