/**
 * Extracting the bearer token from a request (RFC 6750 §2.1).
 *
 * @module
 */
import { ToriiAuthError } from '../errors.js';
import type { RequestLike } from '../request-like.js';
import { readHeader } from '../shared/read-header.js';

const BEARER_SCHEME = /^bearer(?:[ \t]+|$)/i;

/**
 * The token of a `Bearer <token>` header (scheme case-insensitive). Surrounding spaces and tabs
 * are trimmed, as HTTP does; anything else is left for the token parser to judge, so a token with
 * whitespace inside is malformed, not silently repaired.
 *
 * - no header, an empty one, another scheme (`Basic …`), or `Bearer` alone → `token_missing`
 * - the header sent more than once with different values → `token_malformed`
 *
 * Never echoes the header value.
 *
 * @param request - Anything {@link readHeader} reads.
 * @param header - Lower-case header name. @default 'authorization'
 * @throws {@link ToriiAuthError} `token_missing` or `token_malformed`
 *
 * @example
 * ```ts
 * extractBearerToken({ authorization: 'Bearer eyJ…' }, 'authorization'); // 'eyJ…'
 * ```
 */
export function extractBearerToken(request: RequestLike, header = 'authorization'): string {
  const values = readHeader(request, header);
  if (values.length > 1 && values.some((v) => v !== values[0])) {
    throw new ToriiAuthError(
      'token_malformed',
      `torii: the ${header} header was sent more than once; send exactly one "Bearer <token>".`,
    );
  }
  const value = (values[0] ?? '').replace(/^[ \t]+|[ \t]+$/g, '');
  const scheme = BEARER_SCHEME.exec(value);
  const token = scheme === null ? '' : value.slice(scheme[0].length);
  if (token.length === 0) {
    throw new ToriiAuthError(
      'token_missing',
      `torii: no bearer token: send the torii session token as "${header}: Bearer <token>".`,
    );
  }
  return token;
}
