/**
 * A real JWKS server on 127.0.0.1 (port 0) for tests: counts requests and can be switched to
 * failure modes.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ToriiJwk } from '../src/options.js';

/** How the server answers JWKS requests. */
export type JwksServerMode =
  | 'ok'
  /** Destroys the connection: a network error. */
  | 'down'
  /** Answers after `slowMs`. */
  | 'slow'
  /** HTTP 500. */
  | '500'
  /** A 200 HTML page. */
  | 'html'
  /** A 200 JWKS larger than 64 KiB. */
  | 'oversized'
  /** A 200 `{ "keys": [] }`. */
  | 'empty';

/** A running test JWKS server. */
export interface JwksServer {
  /** `http://127.0.0.1:PORT`: use it as the issuer. */
  readonly issuer: string;
  /** Requests received on the JWKS path. */
  readonly requests: number;
  /** Every path requested, in order. */
  readonly paths: readonly string[];
  /** The keys served in `ok` mode. */
  keys: unknown[];
  mode: JwksServerMode;
  /** Delay of `slow` mode, in ms. */
  slowMs: number;
  /** Replaces the served keys by JWKs. */
  setKeys(...keys: (ToriiJwk | Record<string, unknown>)[]): void;
  close(): Promise<void>;
}

/** The torii JWKS path. */
export const JWKS_PATH = '/_torii/.well-known/jwks.json';

/**
 * Starts a JWKS server serving `keys` at {@link JWKS_PATH}.
 *
 * @example
 * ```ts
 * const server = await startJwksServer([publicJwk]);
 * const verifier = createVerifier({ issuer: server.issuer });
 * ```
 */
export async function startJwksServer(keys: unknown[] = []): Promise<JwksServer> {
  const paths: string[] = [];
  let requests = 0;
  const state = { keys, mode: 'ok' as JwksServerMode, slowMs: 1000 };

  const send = (res: ServerResponse, status: number, type: string, body: string): void => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const jwksBody = (): string => JSON.stringify({ keys: state.keys });

  /** The answer of the current mode, or `null` when the mode answers by itself. */
  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
  ): [status: number, type: string, body: string] | null => {
    switch (state.mode) {
      case 'ok':
        return [200, 'application/json', jwksBody()];
      case 'down':
        req.socket.destroy();
        return null;
      case 'slow': {
        const timer = setTimeout(
          () => send(res, 200, 'application/json', jwksBody()),
          state.slowMs,
        );
        res.on('close', () => clearTimeout(timer));
        return null;
      }
      case '500':
        return [500, 'application/json', '{"error":"boom"}'];
      case 'html':
        return [200, 'text/html', '<!doctype html><h1>Welcome to nginx!</h1>'];
      case 'oversized':
        return [
          200,
          'application/json',
          JSON.stringify({ keys: state.keys, pad: 'x'.repeat(70_000) }),
        ];
      case 'empty':
        return [200, 'application/json', '{"keys":[]}'];
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    paths.push(req.url ?? '');
    if (req.url !== JWKS_PATH) {
      send(res, 404, 'text/plain', 'not found');
      return;
    }
    requests++;
    const result = answer(req, res);
    if (result !== null) send(res, ...result);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    issuer: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    paths,
    get keys() {
      return state.keys;
    },
    set keys(value) {
      state.keys = value;
    },
    get mode() {
      return state.mode;
    },
    set mode(value) {
      state.mode = value;
    },
    get slowMs() {
      return state.slowMs;
    },
    set slowMs(value) {
      state.slowMs = value;
    },
    setKeys(...jwks) {
      state.keys = jwks;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
