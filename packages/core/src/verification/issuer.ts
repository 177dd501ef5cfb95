/**
 * The issuer option: where it comes from, its validation and its normal form.
 *
 * @module
 */
import { JWKS_PATH } from '../jwks/jwks-url.js';
import { readEnv } from '../shared/env.js';
import { failOption } from '../shared/option-checks.js';
import { normalizeServiceUrl } from '../shared/url-rules.js';

const EXAMPLE = "e.g. { issuer: 'https://acme.torii.so' } (copy it from your torii dashboard)";

/** Paths that name a key set or a discovery document, not an issuer. */
const KEY_SET_PATHS = [JWKS_PATH, '/.well-known/jwks.json', '/.well-known/openid-configuration'];

/**
 * Validates the configured issuer and returns its canonical form (the rules of
 * `normalizeServiceUrl`, shared with the REST client's `apiUrl`: an absolute `https:` URL, `http:`
 * only on loopback, no credentials, query, fragment or path the URL parser would rewrite; scheme
 * and host lower-cased, default port dropped, trailing slashes removed). When `issuer` is
 * `undefined`, the `TORII_ISSUER` environment variable is used (where the runtime has one).
 *
 * The JWKS URL is built from this form, so the host that is fetched is exactly the host that was
 * checked; the token's `iss` is compared with it exactly (trailing slashes aside). An issuer that
 * is itself a key set URL (`…/_torii/.well-known/jwks.json`) is refused with the issuer to pass
 * instead.
 *
 * @throws {@link ToriiConfigError} with a message that names the fix
 *
 * @example
 * ```ts
 * normalizeIssuer('https://acme.torii.so/'); // 'https://acme.torii.so'
 * normalizeIssuer('HTTPS://Acme.Torii.So:443'); // 'https://acme.torii.so'
 * normalizeIssuer('http://acme.torii.so'); // throws ToriiConfigError
 * normalizeIssuer(undefined); // TORII_ISSUER, normalised; throws when it is unset too
 * ```
 */
export function normalizeIssuer(issuer: unknown): string {
  let value = issuer;
  let name = 'issuer';
  if (value === undefined) {
    value = readEnv('TORII_ISSUER');
    name = 'issuer (from TORII_ISSUER)';
    if (value === undefined) {
      failOption(
        `the issuer option is required: pass it, ${EXAMPLE}, or set the TORII_ISSUER environment variable.`,
      );
    }
  }
  if (typeof value !== 'string' || value.trim().length === 0) {
    failOption(`the issuer option is required to be a non-empty URL, ${EXAMPLE}.`);
  }
  const normalized = normalizeServiceUrl(value, name, EXAMPLE);
  const keySetPath = KEY_SET_PATHS.find((path) => normalized.endsWith(path));
  if (keySetPath !== undefined) {
    const meant = normalized.slice(0, normalized.length - keySetPath.length) || normalized;
    failOption(
      `the ${name} is the URL of a key set or discovery document (${normalized}), not the issuer. Pass the issuer itself, { issuer: '${meant}' }: torii builds the key set URL from it (${meant}${JWKS_PATH}).`,
    );
  }
  return normalized;
}
