/**
 * A token's 32-bit fingerprint: what the token cache and its admission filter index tokens by.
 *
 * @module
 */

/**
 * How much of a token's end the fingerprint reads: 16 chars, 96 bits of its signature, three times
 * the 30 or 32 bits kept. Each char read costs: on a token cut out of its header (a sliced string,
 * as every request's is) 32 chars took ~120 ns a call and 16 take ~60 ns, on a ~300 ns cache hit.
 */
const FINGERPRINT_CHARS = 16;

/**
 * FNV-1a over the token's last 16 UTF-16 code units, then murmur3's finalizer so that every bit
 * depends on every char read. O(1) in the token's length, and cheaper than hashing the whole
 * string, which V8 does again for every request because each request's token is a new string.
 *
 * A fingerprint only finds where a token may be; whoever uses it compares the exact token before
 * serving anything. The end of a compact JWS is its signature, which differs between any two tokens
 * an issuer signs (ECDSA draws a new nonce each time), so distinct tokens rarely share one.
 *
 * @returns An unsigned 32-bit integer.
 */
export function tokenFingerprint(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, token.length - FINGERPRINT_CHARS); i < token.length; i++) {
    hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}
