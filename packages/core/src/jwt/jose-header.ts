/**
 * The checks of a JWS protected header that come before any key is looked up.
 *
 * @module
 */
import { ToriiAuthError } from '../errors.js';
import type { JsonObject } from './json-object.js';

/** Header parameters that point at a key somewhere else. torii never sets them; we never use them. */
const KEY_REFERENCE_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;

/**
 * Checks a JWS header and returns its `kid`:
 * - `alg` must be exactly `ES256` (`none`, `HS256`, `ES384`, `RS256`… → `algorithm_not_allowed`);
 * - `crit` is refused (torii uses no extension, so every critical one is unknown) and so is
 *   `b64: false` (an unencoded payload) → `token_malformed`;
 * - `jku`, `x5u`, `jwk` and `x5c` are refused rather than ignored → `token_malformed`: a torii
 *   token never carries them, so one that does was not made by torii, and no key is ever
 *   fetched from or built out of a token;
 * - `kid`, when present, must be a string → `token_malformed`.
 *
 * @throws {@link ToriiAuthError} `algorithm_not_allowed` or `token_malformed`
 *
 * @example
 * ```ts
 * const kid = checkJoseHeader({ alg: 'ES256', kid: 'k1' }); // 'k1'
 * ```
 */
export function checkJoseHeader(header: JsonObject): string | undefined {
  if (header.alg !== 'ES256') {
    throw new ToriiAuthError(
      'algorithm_not_allowed',
      'torii: the token is not signed with ES256, the only algorithm torii uses. It was not issued by torii.',
    );
  }
  if (Object.hasOwn(header, 'crit')) {
    throw new ToriiAuthError(
      'token_malformed',
      'torii: the token marks header extensions as critical ("crit"); torii uses none, so it cannot be trusted.',
    );
  }
  if (Object.hasOwn(header, 'b64') && header.b64 !== true) {
    throw new ToriiAuthError(
      'token_malformed',
      'torii: the token uses an unencoded payload ("b64"), which torii never issues.',
    );
  }
  for (const name of KEY_REFERENCE_HEADERS) {
    if (Object.hasOwn(header, name)) {
      throw new ToriiAuthError(
        'token_malformed',
        `torii: the token header carries "${name}", a key reference torii never issues; keys come only from your issuer's JWKS.`,
      );
    }
  }
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') {
    throw new ToriiAuthError('token_malformed', 'torii: the token header "kid" is not a string.');
  }
  return kid;
}
