/**
 * The one ES256 signature check (ECDSA P-256 / SHA-256, IEEE P1363 `r || s`): the prechecks every
 * backend shares, then the installed backend (Web Crypto by default; `node:crypto` when the `node`
 * entry installed it).
 *
 * @module
 */

const ECDSA_SHA256: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/** What an ES256 signature covers: the bytes, or an ASCII string standing for them. */
export type SigningInput = Uint8Array<ArrayBuffer> | string;

const ASCII = new TextEncoder();

/** Length of an ES256 signature: 32-byte `r` followed by 32-byte `s` (RFC 7518 §3.4). */
export const ES256_SIGNATURE_BYTES = 64;

/**
 * The cryptographic check behind {@link verifyEs256}, called only after the prechecks passed (64
 * bytes, `r` and `s` non-zero). Answers whether the signature verifies; may answer synchronously.
 * A throw or a rejection counts as `false`. `signingInput` is the signed bytes, or a string of ASCII
 * chars standing for them (a JWS's `header.payload` as received), which the backend encodes as it
 * sees fit: the Node backend into a reused buffer, since it verifies synchronously.
 *
 * @internal Not exported from the package: the `node` entry installs its backend with
 * {@link setEs256Backend}.
 */
export type Es256Backend = (
  key: CryptoKey,
  signingInput: SigningInput,
  signature: Uint8Array<ArrayBuffer>,
) => boolean | Promise<boolean>;

/**
 * The Web Crypto backend, the default on every runtime: `crypto.subtle.verify` with ECDSA and
 * SHA-256. It expects the prechecks of {@link verifyEs256} to have run; call that instead.
 *
 * @example
 * ```ts
 * const ok = await verifyEs256WebCrypto(key, signingInput, signature); // after the prechecks
 * ```
 */
export function verifyEs256WebCrypto(
  key: CryptoKey,
  signingInput: SigningInput,
  signature: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const data = typeof signingInput === 'string' ? ASCII.encode(signingInput) : signingInput;
  return crypto.subtle.verify(ECDSA_SHA256, key, signature, data);
}

let backend: Es256Backend = verifyEs256WebCrypto;

/**
 * Replaces the backend of {@link verifyEs256} for the whole module instance and returns the
 * previous one (so a test can put it back). The prechecks still run before any backend.
 *
 * @internal Used by `src/index.node.ts`; not part of the public API.
 *
 * @example
 * ```ts
 * const previous = setEs256Backend(verifyEs256Node);
 * // …
 * setEs256Backend(previous);
 * ```
 */
export function setEs256Backend(next: Es256Backend): Es256Backend {
  const previous = backend;
  backend = next;
  return previous;
}

/** The backend {@link verifyEs256} calls now (for tests and diagnostics). @internal */
export function getEs256Backend(): Es256Backend {
  return backend;
}

/**
 * Verifies an ES256 signature over `signingInput` with a P-256 public key. Signatures that are not
 * exactly 64 bytes, or whose `r` or `s` is zero (CVE-2022-21449, "psychic signatures"), are
 * refused before any backend is called. Never throws or rejects: any failure is `false`. Answers
 * synchronously when the backend does (the Node one), else with a promise.
 *
 * @param key - A P-256 `ECDSA` public key imported with Web Crypto with the `verify` usage.
 * @param signingInput - The signed bytes (for a JWS: ASCII `header.payload`, or that string).
 * @param signature - The signature in IEEE P1363 form.
 *
 * @example
 * ```ts
 * const ok = await verifyEs256(key, `${h}.${p}`, signatureBytes);
 * ```
 */
export function verifyEs256(
  key: CryptoKey,
  signingInput: SigningInput,
  signature: Uint8Array<ArrayBuffer>,
): boolean | Promise<boolean> {
  if (signature.length !== ES256_SIGNATURE_BYTES) return false;
  if (isZero(signature, 0, 32) || isZero(signature, 32, 64)) return false;
  let answer: boolean | Promise<boolean>;
  try {
    answer = backend(key, signingInput, signature);
  } catch {
    return false;
  }
  if (typeof answer !== 'object' || answer === null) return answer === true;
  return Promise.resolve(answer).then(
    (ok) => ok === true,
    () => false,
  );
}

function isZero(bytes: Uint8Array, from: number, to: number): boolean {
  let acc = 0;
  for (let i = from; i < to; i++) acc |= bytes[i] as number;
  return acc === 0;
}
