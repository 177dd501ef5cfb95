/**
 * The one rule for when plain `http:` is allowed: a loopback host, for local development.
 *
 * @module
 */

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
