/**
 * Where an issuer serves its key set. `@torii/testing` serves its JWKS at the same path.
 *
 * @module
 */

/** The JWKS path under the issuer, as torii serves it. */
export const JWKS_PATH = '/_torii/.well-known/jwks.json';

/**
 * The JWKS URL of a normalised issuer: `{issuer}/_torii/.well-known/jwks.json`.
 *
 * @example
 * ```ts
 * jwksUrlOf('https://acme.torii.so'); // 'https://acme.torii.so/_torii/.well-known/jwks.json'
 * ```
 */
export function jwksUrlOf(issuer: string): string {
  return `${issuer}${JWKS_PATH}`;
}
