/**
 * The one ES256 signature check (ECDSA P-256 / SHA-256, IEEE P1363 `r || s`), on Web Crypto.
 *
 * @module
 */

const ECDSA_SHA256: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/** Length of an ES256 signature: 32-byte `r` followed by 32-byte `s` (RFC 7518 §3.4). */
export const ES256_SIGNATURE_BYTES = 64;

/**
 * Verifies an ES256 signature over `signingInput` with a P-256 public key. Signatures that are not
 * exactly 64 bytes, or whose `r` or `s` is zero (CVE-2022-21449, "psychic signatures"), are
 * refused before Web Crypto is called. Never throws: any failure is `false`.
 *
 * @param key - A P-256 `ECDSA` public key imported with the `verify` usage.
 * @param signingInput - The signed bytes (for a JWS: ASCII `header.payload`).
 * @param signature - The signature in IEEE P1363 form.
 *
 * @example
 * ```ts
 * const ok = await verifyEs256(key, new TextEncoder().encode(`${h}.${p}`), signatureBytes);
 * ```
 */
export async function verifyEs256(
  key: CryptoKey,
  signingInput: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  if (signature.length !== ES256_SIGNATURE_BYTES) return false;
  if (isZero(signature, 0, 32) || isZero(signature, 32, 64)) return false;
  try {
    return await crypto.subtle.verify(ECDSA_SHA256, key, signature, signingInput);
  } catch {
    return false;
  }
}

function isZero(bytes: Uint8Array, from: number, to: number): boolean {
  let acc = 0;
  for (let i = from; i < to; i++) acc |= bytes[i] as number;
  return acc === 0;
}
