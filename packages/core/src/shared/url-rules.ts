/**
 * URL rules shared by the issuer (verification) and `apiUrl` (REST client): what counts as a
 * loopback host, one normal form for a configured service URL, and redaction for messages.
 *
 * @module
 */
import { failOption } from './option-checks.js';

/**
 * Whether a URL's `hostname` (as the WHATWG URL parser gives it: lower case, IPv6 in brackets)
 * is a loopback host: `localhost`, an address in `127.0.0.0/8`, or `[::1]`. Subdomains of
 * `localhost` are not: resolvers do not guarantee they stay on this machine.
 *
 * @example
 * ```ts
 * isLoopbackHost(new URL('http://127.0.0.1:4010').hostname); // true
 * isLoopbackHost(new URL('http://app.localhost').hostname); // false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * `url` as an error message may show it: without userinfo (it may hold a password), query or
 * fragment. Works on strings the URL parser refuses, which is when it is needed.
 *
 * @example
 * ```ts
 * redactUrl('https://user:s3cret@acme torii.so/?k=v'); // 'https://…@acme torii.so/'
 * ```
 */
export function redactUrl(url: string): string {
  const cut = url.search(/[?#]/);
  const kept = cut === -1 ? url : url.slice(0, cut);
  return kept.replace(/^([^/@]*\/\/)?[^/@]*@/, '$1…@');
}

/**
 * Removes trailing slashes: `https://acme.torii.so/` and `https://acme.torii.so` are one URL here.
 *
 * @example
 * ```ts
 * trimTrailingSlashes('https://acme.torii.so//'); // 'https://acme.torii.so'
 * ```
 */
export function trimTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end--;
  return url.slice(0, end);
}

/**
 * What the WHATWG URL parser rewrites in a path instead of refusing: dot segments (also
 * percent-encoded), backslashes (read as `/`), and tabs and line breaks (dropped). A configured URL
 * with any of them would name one URL and mean another.
 */
const REWRITTEN_BY_URL_PARSING = /[\\\t\n\r]|\/(?:\.|%2e){1,2}(?=[/\\]|$)/i;

/**
 * Validates a configured service URL (the issuer, `apiUrl`) and returns its canonical form: the
 * URL as the WHATWG URL parser (and so `fetch`) reads it — scheme and host lower-cased, an IDN
 * host in punycode, an IP host in its normal spelling, the default port dropped — without
 * trailing slashes. The rules, the same for every such option:
 *
 * - an absolute URL, without leading or trailing whitespace;
 * - `https:`; `http:` only for loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`), for local
 *   development;
 * - no credentials, query or fragment;
 * - nothing the parser would silently rewrite in the path (`.`/`..` segments, backslashes, tabs,
 *   line breaks), so the host that is fetched is exactly the host that was checked.
 *
 * The caller checks presence first (its message differs: the issuer is required, `apiUrl` has a
 * default).
 *
 * @param value - The configured string.
 * @param name - The option's name in messages, e.g. `'issuer'`.
 * @param example - The end of each message, naming a good value.
 * @throws {@link ToriiConfigError} naming the rule that failed and the fix
 *
 * @example
 * ```ts
 * normalizeServiceUrl('HTTPS://Acme.Torii.So:443/', 'issuer', "e.g. 'https://acme.torii.so'");
 * // 'https://acme.torii.so'
 * ```
 */
export function normalizeServiceUrl(value: string, name: string, example: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    failOption(
      `the ${name} must be an absolute URL (got ${JSON.stringify(redactUrl(value))}), ${example}.`,
    );
  }
  if (value !== value.trim()) {
    failOption(`the ${name} has leading or trailing whitespace; remove it.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    failOption(
      `the ${name} must be an https URL (got ${url.origin}). Use https, or a loopback host (localhost, 127.0.0.1, [::1]) for local development.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    failOption(`the ${name} must be an https URL (got the ${url.protocol} scheme), ${example}.`);
  }
  if (url.username !== '' || url.password !== '' || /[?#]/.test(value)) {
    failOption(`the ${name} must not contain credentials, a query or a fragment, ${example}.`);
  }
  if (REWRITTEN_BY_URL_PARSING.test(value)) {
    failOption(
      `the ${name} contains a "." or ".." path segment, a backslash or a tab or line break, which URL parsing silently rewrites; write the URL out in full, ${example}.`,
    );
  }
  return trimTrailingSlashes(`${url.protocol}//${url.host}${url.pathname}`);
}
