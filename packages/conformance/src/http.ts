/**
 * The HTTP side of the conformance suite: `GET`s that return status, headers and parsed JSON (one
 * through `fetch`, two through `node:http` for what `fetch` cannot send), and a loopback URL where
 * nothing listens (an issuer outage).
 *
 * @module
 */
import { request } from 'node:http';
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
 * `GET base + path` sending header `name` once per value, as separate header lines (what a proxy
 * or an attacker can send; `fetch` would fold them into one comma-joined value).
 *
 * @example
 * ```ts
 * await getWithRepeatedHeader(app.url, '/protected', 'authorization', [`Bearer ${a}`, `Bearer ${b}`]);
 * ```
 */
export function getWithRepeatedHeader(
  base: string,
  path: string,
  name: string,
  values: readonly string[],
): Promise<ConformanceResponse> {
  return send(base, path, { [name]: [...values] });
}

/**
 * `GET` with `target` sent byte for byte as the request target: `get` (like `fetch` and
 * `new URL`) would resolve `/./` and `/../`, read `//x` as a host and drop a fragment; this sends
 * what an attacker can send.
 *
 * @example
 * ```ts
 * await getRaw(app.url, '//protected'); // the request line is `GET //protected HTTP/1.1`
 * ```
 */
export function getRaw(
  base: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<ConformanceResponse> {
  return send(base, target, headers);
}

/** One `GET` through `node:http` to `base`'s host and port, the request target as given. */
function send(
  base: string,
  target: string,
  headers: Record<string, string | string[]>,
): Promise<ConformanceResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: target, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (typeof value === 'string') responseHeaders.set(key, value);
          else if (Array.isArray(value)) for (const v of value) responseHeaders.append(key, v);
        }
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body, text });
      });
    });
    req.on('error', reject);
    req.end();
  });
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
