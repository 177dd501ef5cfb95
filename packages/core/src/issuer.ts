/**
 * The issuer option: validation, normal form and the JWKS URL derived from it.
 *
 * @module
 */
import { trimTrailingSlashes } from './claims.js';
import { ToriiConfigError } from './errors.js';

/** The JWKS path under the issuer, as torii serves it. */
export const JWKS_PATH = '/_torii/.well-known/jwks.json';

/**
 * Validates the configured issuer and returns it without trailing slashes. It must be an absolute
 * `https:` URL without credentials, query or fragment; `http:` is accepted only for loopback hosts
 * (`localhost`, `127.0.0.0/8`, `[::1]`), for local development.
 *
 * @throws {@link ToriiConfigError} with a message that names the fix
 *
 * @example
 * ```ts
 * normalizeIssuer('https://acme.torii.so/'); // 'https://acme.torii.so'
 * normalizeIssuer('http://acme.torii.so'); // throws ToriiConfigError
 * ```
 */
export function normalizeIssuer(issuer: unknown): string {
  const example = "e.g. { issuer: 'https://acme.torii.so' } (copy it from your torii dashboard)";
  if (typeof issuer !== 'string' || issuer.trim().length === 0) {
    throw new ToriiConfigError(`torii: the issuer option is required, ${example}.`);
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ToriiConfigError(
      `torii: the issuer must be an absolute URL (got ${JSON.stringify(issuer)}), ${example}.`,
    );
  }
  if (issuer !== issuer.trim()) {
    throw new ToriiConfigError('torii: the issuer has leading or trailing whitespace; remove it.');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ToriiConfigError(
      `torii: the issuer must be an https URL (got ${url.origin}). Use https, or a loopback host (localhost, 127.0.0.1, [::1]) for local development.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ToriiConfigError(
      `torii: the issuer must be an https URL (got the ${url.protocol} scheme), ${example}.`,
    );
  }
  if (url.username !== '' || url.password !== '' || /[?#]/.test(issuer)) {
    throw new ToriiConfigError(
      `torii: the issuer must not contain credentials, a query or a fragment, ${example}.`,
    );
  }
  return trimTrailingSlashes(issuer);
}

/** The JWKS URL of a normalised issuer: `{issuer}/_torii/.well-known/jwks.json`. */
export function jwksUrlOf(issuer: string): string {
  return `${issuer}${JWKS_PATH}`;
}

function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]') {
    return true;
  }
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
