/**
 * Strict, canonical base64url decoding (RFC 4648 §5 without padding, RFC 7515 §2).
 *
 * @module
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Maps a char code to its 6-bit value, or 255 for a char outside the base64url alphabet. */
const DECODE_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(128).fill(255);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * Decodes `input` from base64url, or returns `null` when it is not the one canonical encoding of
 * some bytes: a char outside `[A-Za-z0-9_-]` (padding `=` and whitespace included), a length of
 * 4n+1, or non-zero unused bits in the last char (`AB` and `AC` would otherwise both decode to
 * the same byte).
 *
 * @example
 * ```ts
 * decodeBase64Url('Zm9v'); // Uint8Array [102, 111, 111]
 * decodeBase64Url('Zm9v='); // null
 * ```
 */
export function decodeBase64Url(input: string): Uint8Array<ArrayBuffer> | null {
  const length = input.length;
  const tail = length % 4;
  if (tail === 1) return null;
  const out = new Uint8Array(((length - tail) / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  let o = 0;
  let i = 0;
  const full = length - tail;
  for (; i < full; i += 4) {
    const a = sextet(input, i);
    const b = sextet(input, i + 1);
    const c = sextet(input, i + 2);
    const d = sextet(input, i + 3);
    if ((a | b | c | d) > 63) return null;
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o++] = ((c & 3) << 6) | d;
  }
  if (tail === 2) {
    const a = sextet(input, i);
    const b = sextet(input, i + 1);
    if ((a | b) > 63 || (b & 15) !== 0) return null;
    out[o] = (a << 2) | (b >> 4);
  } else if (tail === 3) {
    const a = sextet(input, i);
    const b = sextet(input, i + 1);
    const c = sextet(input, i + 2);
    if ((a | b | c) > 63 || (c & 3) !== 0) return null;
    out[o++] = (a << 2) | (b >> 4);
    out[o] = ((b & 15) << 4) | (c >> 2);
  }
  return out;
}

/** The base64url alphabet and nothing else (the empty string included); linear, no backtracking. */
const BASE64URL_CHARS = /^[\w-]*$/;

/**
 * Whether `input` is the one canonical base64url encoding of some bytes: only `[A-Za-z0-9_-]`, a
 * length that is not 4n+1, and zero unused bits in the last char. The same rule as
 * {@link decodeBase64Url}, without decoding.
 *
 * @example
 * ```ts
 * isCanonicalBase64Url('Zm9v'); // true
 * isCanonicalBase64Url('Zm9=');  // false
 * isCanonicalBase64Url('AB');    // false: 'AA' is the canonical form of the same byte
 * ```
 */
export function isCanonicalBase64Url(input: string): boolean {
  const tail = input.length & 3;
  if (tail === 1 || !BASE64URL_CHARS.test(input)) return false;
  if (tail === 0) return true;
  const last = sextet(input, input.length - 1);
  return tail === 2 ? (last & 15) === 0 : (last & 3) === 0;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** A char outside ASCII. */
const NON_ASCII = /[^\0-\x7f]/;

/**
 * The UTF-8 text that a canonical base64url segment encodes, or `null` when the segment is not
 * canonical ({@link isCanonicalBase64Url}) or its bytes are not valid UTF-8 (a byte-order mark is
 * kept as U+FEFF, so JSON parsing then refuses it). Decodes with the runtime's `atob`; the
 * TextDecoder only runs when some byte is outside ASCII, which a torii token's header and claims
 * never need.
 *
 * @example
 * ```ts
 * decodeBase64UrlText('eyJhbGciOiJFUzI1NiJ9'); // '{"alg":"ES256"}'
 * decodeBase64UrlText('eyJ=');                 // null
 * ```
 */
export function decodeBase64UrlText(input: string): string | null {
  return isCanonicalBase64Url(input) ? textOfCanonicalBase64Url(input) : null;
}

/**
 * {@link decodeBase64UrlText} for a segment already found canonical: the token parser checks the
 * payload segment once ({@link isCanonicalBase64Url}), and the claims decoder takes it from there
 * without scanning it a second time. On any other input `atob` would accept what the canonical
 * rule refuses (`+`, `/`, padding, whitespace), so callers must have checked first.
 *
 * @returns the UTF-8 text, or `null` when the bytes are not valid UTF-8
 *
 * @example
 * ```ts
 * if (isCanonicalBase64Url(segment)) textOfCanonicalBase64Url(segment); // '{"alg":"ES256"}'
 * ```
 */
export function textOfCanonicalBase64Url(input: string): string | null {
  // atob takes standard base64 and no padding is needed; the input is canonical, so it decodes.
  const binary = atob(input.replaceAll('-', '+').replaceAll('_', '/'));
  if (!NON_ASCII.test(binary)) return binary;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

function sextet(input: string, index: number): number {
  const code = input.charCodeAt(index);
  return code < 128 ? (DECODE_TABLE[code] as number) : 255;
}
