/**
 * Rules shared by every URL option (the issuer, the API URL): when plain `http:` is allowed, and
 * how a URL is shown in an error message.
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
  return url.replace(/[?#][\s\S]*$/, '').replace(/^([^/@]*\/\/)?[^/@]*@/, '$1…@');
}
