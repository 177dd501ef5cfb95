/**
 * The HTTP side of the conformance suite: one `GET` that returns status, headers and parsed JSON,
 * and a loopback URL where nothing listens (an issuer outage).
 *
 * @module
 */
import { createServer } from 'node:net';

/** One answer of a conformance app, body parsed as JSON when it is JSON. */
export interface ConformanceResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  /** The raw body text. */
  text: string;
}

/**
 * `GET base + path` with the given headers.
 *
 * @example
 * ```ts
 * const res = await get(app.url, '/protected', { authorization: `Bearer ${token}` });
 * ```
 */
export async function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<ConformanceResponse> {
  const response = await fetch(new URL(path, base), { headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text, the assertions will say so
  }
  return { status: response.status, headers: response.headers, body, text };
}

/**
 * An `http://127.0.0.1:PORT` URL on which nothing listens: a port is bound, read and released.
 * Connecting to it is refused at once, which is what an issuer outage looks like from here.
 */
export async function closedLoopbackUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('conformance: could not read the port of a loopback server.');
  }
  return `http://127.0.0.1:${address.port}`;
}
