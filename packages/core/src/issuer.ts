/**
 * The issuer option: validation, normal form and the JWKS URL derived from it.
 *
 * @module
 */
import { trimTrailingSlashes } from './claims.js';
import { ToriiConfigError } from './errors.js';
import { isLoopbackHost, redactUrl } from './url-rules.js';

/** The JWKS path under the issuer, as torii serves it. */
export const JWKS_PATH = '/_torii/.well-known/jwks.json';

/**
 * Validates the configured issuer and returns its canonical form: the URL as the WHATWG URL parser
 * (and so `fetch`) reads it — scheme and host lower-cased, an IDN host in punycode, an IPv4 or IPv6
 * host in its normal spelling, the default port dropped — without trailing slashes. It must be an
 * absolute `https:` URL without credentials, query, fragment, or anything the parser would rewrite
 * in the path (`.`/`..` segments, backslashes, tabs, line breaks); `http:` is accepted only for
 * loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`), for local development.
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
  const example = "e.g. { issuer: 'https://acme.torii.so' } (copy it from your torii dashboard)";
  if (typeof issuer !== 'string' || issuer.trim().length === 0) {
    throw new ToriiConfigError(`torii: the issuer option is required, ${example}.`);
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ToriiConfigError(
      `torii: the issuer must be an absolute URL (got ${JSON.stringify(redactUrl(issuer))}), ${example}.`,
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
  if (REWRITTEN_BY_URL_PARSING.test(issuer)) {
    throw new ToriiConfigError(
      `torii: the issuer contains a "." or ".." path segment, a backslash or a tab or line break, which URL parsing silently rewrites; write the URL as your torii dashboard shows it, ${example}.`,
    );
  }
  return trimTrailingSlashes(`${url.protocol}//${url.host}${url.pathname}`);
}

/**
 * What the WHATWG URL parser rewrites in a path instead of refusing: dot segments (also
 * percent-encoded), backslashes (read as `/`), and tabs and line breaks (dropped). An issuer with
 * any of them would name one URL and mean another.
 */
const REWRITTEN_BY_URL_PARSING = /[\\\t\n\r]|\/(?:\.|%2e){1,2}(?=[/\\]|$)/i;

/** The JWKS URL of a normalised issuer: `{issuer}/_torii/.well-known/jwks.json`. */
export function jwksUrlOf(issuer: string): string {
  return `${issuer}${JWKS_PATH}`;
}
