/**
 * Canonical base64url (RFC 4648 §5, no padding), as JWS compact serialization needs it.
 *
 * @module
 */

/** Encode bytes or a UTF-8 string as unpadded base64url. */
export function base64url(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  return Buffer.from(bytes).toString('base64url');
}

/** Decode unpadded base64url to a UTF-8 string. */
export function base64urlToText(input: string): string {
  return Buffer.from(input, 'base64url').toString('utf8');
}
