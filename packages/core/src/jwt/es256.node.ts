/**
 * The Node backend of the ES256 check: `node:crypto.verify`, synchronous, on a `KeyObject`
 * converted once from the Web Crypto key. Installed by the `node` entry (`src/index.node.ts`);
 * never imported by the default entry.
 *
 * @module
 */
import * as nodeCrypto from 'node:crypto';
import { type Es256Backend, type SigningInput, verifyEs256WebCrypto } from './es256.js';

/**
 * The two `node:crypto` members the Node backend uses. Both optional: a runtime that maps the
 * `node` export condition may lack either, and then the backend falls back to Web Crypto.
 */
export interface NodeEs256Crypto {
  /** `crypto.KeyObject`, for `KeyObject.from(cryptoKey)`. */
  readonly KeyObject?: { from(key: CryptoKey): nodeCrypto.KeyObject } | undefined;
  /** `crypto.verify(algorithm, data, key, signature)`. */
  readonly verify?: typeof nodeCrypto.verify | undefined;
}

const ENCODER = new TextEncoder();

/**
 * The bytes of a signing input. A string is written into one buffer reused by every call: the
 * bytes are read by the synchronous `verify` before anything else can run, and a new buffer per
 * token would cost more than the rest of the parse.
 */
let scratch = new Uint8Array(4096);
function bytesOf(input: SigningInput): Uint8Array {
  if (typeof input !== 'string') return input;
  // UTF-16 code units encode to at most 3 bytes each; a JWS signing input is ASCII (1 byte each).
  if (scratch.length < input.length * 3) scratch = new Uint8Array(input.length * 3);
  const { written } = ENCODER.encodeInto(input, scratch);
  return scratch.subarray(0, written);
}

/** What a key converts to: a `KeyObject`, or `null` when this key goes through Web Crypto. */
type Converted = nodeCrypto.KeyObject | null;

/**
 * Builds a Node backend for `setEs256Backend` (`./es256.js`). Each Web Crypto key is converted once with
 * `KeyObject.from` (cached in a `WeakMap`, so a key dropped from the key set is collected). Only
 * public `ECDSA` P-256 keys with the `verify` usage take the fast path; any other key goes to Web
 * Crypto, which refuses it exactly as on the default entry. If `KeyObject.from` or `verify`
 * throws, that key is checked with Web Crypto from then on: the answer is never `true` by default.
 *
 * @param api - The `node:crypto` members to use; `node:crypto` itself when omitted.
 *
 * @example
 * ```ts
 * import * as nodeCrypto from 'node:crypto';
 * setEs256Backend(createNodeEs256Backend(nodeCrypto));
 * ```
 */
export function createNodeEs256Backend(api: NodeEs256Crypto = nodeCrypto): Es256Backend {
  const converted = new WeakMap<CryptoKey, Converted>();

  function convert(key: CryptoKey): Converted {
    const algorithm = key.algorithm as Partial<EcKeyAlgorithm>;
    if (
      key.type !== 'public' ||
      algorithm.name !== 'ECDSA' ||
      algorithm.namedCurve !== 'P-256' ||
      !key.usages.includes('verify')
    ) {
      return null;
    }
    try {
      const from = api.KeyObject?.from;
      if (typeof from !== 'function' || typeof api.verify !== 'function') return null;
      return from.call(api.KeyObject, key);
    } catch {
      return null;
    }
  }

  return function verifyEs256Node(key, signingInput, signature) {
    let keyObject = converted.get(key);
    if (keyObject === undefined) {
      keyObject = convert(key);
      converted.set(key, keyObject);
    }
    if (keyObject !== null && api.verify !== undefined) {
      try {
        return api.verify(
          'sha256',
          bytesOf(signingInput),
          { key: keyObject, dsaEncoding: 'ieee-p1363' },
          signature,
        );
      } catch {
        converted.set(key, null);
      }
    }
    return verifyEs256WebCrypto(key, signingInput, signature);
  };
}

/**
 * The Node backend on the real `node:crypto`, as the `node` entry installs it.
 *
 * @example
 * ```ts
 * setEs256Backend(verifyEs256Node);
 * ```
 */
export const verifyEs256Node: Es256Backend = createNodeEs256Backend();
