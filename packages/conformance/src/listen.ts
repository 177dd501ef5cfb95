/**
 * Puts a Node HTTP server on 127.0.0.1, port 0, and hands back a {@link ConformanceApp}.
 *
 * @module
 */
import type { Server } from 'node:net';
import type { ConformanceApp } from './suite.js';

/** Any Node server (`http`, `http2`, or a framework's own) that can drop its idle connections. */
export type LoopbackServer = Server & { closeAllConnections?: () => void };

/**
 * Listens on 127.0.0.1 with a free port (unless the server already listens) and returns its URL and
 * a `close()` that also drops idle keep-alive connections, so test runs end promptly.
 *
 * @example
 * ```ts
 * const start: StartConformanceApp = (options) => listenOnLoopback(http.createServer(app.callback()));
 * ```
 */
export async function listenOnLoopback(server: LoopbackServer): Promise<ConformanceApp> {
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('conformance: the server is not listening on a TCP port.');
  }
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections?.();
      }),
  };
}
