/**
 * Extracting the bearer token from a request (RFC 6750 §2.1).
 *
 * Request input is read by walking indices, never by a regular expression: one pass over at most
 * {@link maxHeaderLength} characters, whatever the header holds.
 *
 * @module
 */
import { ToriiAuthError } from '../errors.js';
import { DEFAULT_MAX_TOKEN_BYTES } from '../jwt/compact-jws.js';
import type { RequestLike } from '../request-like.js';
import { readHeader } from '../shared/read-header.js';

/** The scheme, lower case. */
const SCHEME = 'bearer';

/** Room for the whitespace around the scheme and the token (leading, separator, trailing). */
const WHITESPACE_ALLOWANCE = 64;

/**
 * The longest header value read for a token cap of `maxTokenBytes`: the token, the scheme and
 * {@link WHITESPACE_ALLOWANCE} characters of whitespace. A longer value cannot hold a token that
 * would pass the cap, so it is refused before anything else is done with it.
 *
 * @example
 * ```ts
 * maxHeaderLength(8192); // 8262
 * ```
 */
export function maxHeaderLength(maxTokenBytes: number): number {
  return maxTokenBytes + SCHEME.length + WHITESPACE_ALLOWANCE;
}

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** `value` holds `bearer` (ASCII, any case) at `start`, before `end`. */
function hasSchemeAt(value: string, start: number, end: number): boolean {
  if (end - start < SCHEME.length) return false;
  for (let i = 0; i < SCHEME.length; i++) {
    // Setting bit 0x20 lower-cases an ASCII letter; only `X` and `x` map to a lower-case `x`.
    if ((value.charCodeAt(start + i) | 0x20) !== SCHEME.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * The token of one header value, or `''` when it holds none: spaces and tabs around the value
 * are trimmed, then `bearer` (any case) must follow, then at least one space or tab (or the end).
 */
function tokenOf(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isSpaceOrTab(value.charCodeAt(start))) start++;
  while (end > start && isSpaceOrTab(value.charCodeAt(end - 1))) end--;
  if (!hasSchemeAt(value, start, end)) return '';
  let at = start + SCHEME.length;
  if (at < end && !isSpaceOrTab(value.charCodeAt(at))) return ''; // `Bearerabc`: another scheme
  while (at < end && isSpaceOrTab(value.charCodeAt(at))) at++;
  return value.slice(at, end);
}

/**
 * The token of a `Bearer <token>` header (scheme case-insensitive). Surrounding spaces and tabs
 * are trimmed, as HTTP does; anything else is left for the token parser to judge, so a token with
 * whitespace inside is malformed, not silently repaired.
 *
 * - a value longer than {@link maxHeaderLength}`(maxTokenBytes)` → `token_malformed`, checked
 *   first, before any other work on the value
 * - the header sent more than once with different values → `token_malformed`
 * - no header, an empty one, another scheme (`Basic …`), or `Bearer` alone → `token_missing`
 *
 * Linear in the header's length. Never echoes the header value.
 *
 * @param request - Anything {@link readHeader} reads.
 * @param header - Lower-case header name. @default 'authorization'
 * @param maxTokenBytes - The verifier's token cap, which bounds the header. @default 8192
 * @throws {@link ToriiAuthError} `token_missing` or `token_malformed`
 *
 * @example
 * ```ts
 * extractBearerToken({ authorization: 'Bearer eyJ…' }, 'authorization'); // 'eyJ…'
 * ```
 */
export function extractBearerToken(
  request: RequestLike,
  header = 'authorization',
  maxTokenBytes = DEFAULT_MAX_TOKEN_BYTES,
): string {
  const values = readHeader(request, header);
  const maxLength = maxHeaderLength(maxTokenBytes);
  for (const value of values) {
    if (value.length > maxLength) {
      throw new ToriiAuthError(
        'token_malformed',
        `torii: the ${header} header is longer than ${maxLength} characters, more than any token within maxTokenBytes (${maxTokenBytes}) needs. Send the torii session token as issued, or raise maxTokenBytes.`,
      );
    }
  }
  if (values.length > 1 && values.some((v) => v !== values[0])) {
    throw new ToriiAuthError(
      'token_malformed',
      `torii: the ${header} header was sent more than once; send exactly one "Bearer <token>".`,
    );
  }
  const token = tokenOf(values[0] ?? '');
  if (token.length === 0) {
    throw new ToriiAuthError(
      'token_missing',
      `torii: no bearer token: send the torii session token as "${header}: Bearer <token>".`,
    );
  }
  return token;
}
