/**
 * The issuer option: validation and normal form.
 *
 * @module
 */
import { failOption } from '../shared/option-checks.js';
import { normalizeServiceUrl } from '../shared/url-rules.js';

const EXAMPLE = "e.g. { issuer: 'https://acme.torii.so' } (copy it from your torii dashboard)";

/**
 * Validates the configured issuer and returns its canonical form (the rules of
 * `normalizeServiceUrl`, shared with the REST client's `apiUrl`: an absolute `https:` URL, `http:`
 * only on loopback, no credentials, query, fragment or path the URL parser would rewrite; scheme
 * and host lower-cased, default port dropped, trailing slashes removed).
 *
 * The JWKS URL is built from this form, so the host that is fetched is exactly the host that was
 * checked; the token's `iss` is compared with it exactly (trailing slashes aside).
 *
 * @throws {@link ToriiConfigError} with a message that names the fix
 *
 * @example
 * ```ts
 * normalizeIssuer('https://acme.torii.so/'); // 'https://acme.torii.so'
 * normalizeIssuer('HTTPS://Acme.Torii.So:443'); // 'https://acme.torii.so'
 * normalizeIssuer('http://acme.torii.so'); // throws ToriiConfigError
 * ```
 */
export function normalizeIssuer(issuer: unknown): string {
  if (typeof issuer !== 'string' || issuer.trim().length === 0) {
    failOption(`the issuer option is required, ${EXAMPLE}.`);
  }
  return normalizeServiceUrl(issuer, 'issuer', EXAMPLE);
}
