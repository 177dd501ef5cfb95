/**
 * Serve a Fetch-style handler (`Request` in, `Response` out) over `node:http` on a loopback host.
 * The issuer and the mock API are written once as such handlers; this file is the only place
 * that knows about `node:http`.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertLoopbackHost, assertPort, type LoopbackHost, loopbackOrigin } from './loopback.js';

/** A Fetch-style request handler. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Where and how to listen. */
export interface ServeOptions {
  /** Loopback host to listen on. @default '127.0.0.1' */
  host?: string;
  /** TCP port; `0` picks a free one. @default 0 */
  port?: number;
}

/** A running server. */
export interface ServedHandler {
  /** `http://host:port`, with the port actually bound. */
  readonly origin: string;
  /** The port actually bound. */
  readonly port: number;
  /** Stop listening and drop open connections. Safe to call twice. */
  close(): Promise<void>;
}

/** Start serving `handler`. Resolves once the port is bound. */
export async function serveFetchHandler(
  handler: FetchHandler,
  options: ServeOptions = {},
): Promise<ServedHandler> {
  const host: LoopbackHost = assertLoopbackHost(options.host ?? '127.0.0.1');
  const requestedPort = assertPort(options.port ?? 0);
  let origin = '';

  const server = createServer((req, res) => {
    void handleNodeRequest(handler, origin, req, res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = loopbackOrigin(host, port);

  let closing: Promise<void> | undefined;
  return {
    origin,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handleNodeRequest(
  handler: FetchHandler,
  origin: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const request = await toFetchRequest(origin, req);
    const response = await handler(request);
    await writeFetchResponse(response, res, req.method === 'HEAD');
  } catch (error) {
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    }
    res.end(`torii testing: internal error in the test server: ${(error as Error).message}`);
  }
}

async function toFetchRequest(origin: string, req: IncomingMessage): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (hasBody) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = new Uint8Array(Buffer.concat(chunks));
  }
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
}

async function writeFetchResponse(
  response: Response,
  res: ServerResponse,
  isHead: boolean,
): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = isHead ? undefined : Buffer.from(await response.arrayBuffer());
  if (body !== undefined) headers['content-length'] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body);
}
