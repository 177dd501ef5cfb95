/**
 * Loopback-only hosts: every server of this package listens on one of these, never on a public
 * interface.
 *
 * @module
 */

/** The hosts a test server may listen on. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'] as const;

/** One of {@link LOOPBACK_HOSTS}. */
export type LoopbackHost = (typeof LOOPBACK_HOSTS)[number];

/**
 * Check that `host` is a loopback host and return it.
 *
 * @throws TypeError when the host is anything else (a test server must never be reachable from
 * another machine).
 */
export function assertLoopbackHost(host: string): LoopbackHost {
  const found = LOOPBACK_HOSTS.find((candidate) => candidate === host);
  if (found === undefined) {
    throw new TypeError(
      `torii testing: host must be a loopback address (got ${JSON.stringify(host)}). ` +
        `Use one of ${LOOPBACK_HOSTS.join(', ')}: test servers never listen on other interfaces.`,
    );
  }
  return found;
}

/**
 * Check a TCP port option (0 picks a free port).
 *
 * @throws RangeError when the port is not an integer in 0..65535.
 */
export function assertPort(port: number, name = 'port'): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(
      `torii testing: ${name} must be an integer from 0 to 65535 (got ${String(port)}). ` +
        'Use 0 to let the system pick a free port.',
    );
  }
  return port;
}

/** The origin (`http://host:port`) of a server listening on `host`, bracketing IPv6. */
export function loopbackOrigin(host: LoopbackHost, port: number): string {
  const hostname = host === '::1' ? '[::1]' : host;
  return `http://${hostname}:${port}`;
}
