import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJwks } from './fetch-jwks.js';

const LIMITS = { timeoutMs: 2000, maxBytes: 1024 };
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[{"kty":"EC"}]}');
        return;
      case '/redirect':
        res.writeHead(302, { location: '/ok' }).end();
        return;
      case '/chunked': {
        // No content-length: the cap must hold while streaming.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"keys":[],"pad":"');
        const chunk = 'x'.repeat(512);
        for (let i = 0; i < 8; i++) res.write(chunk);
        res.end('"}');
        return;
      }
      case '/keys-object':
        res.writeHead(200).end('{"keys":{"0":{}}}');
        return;
      case '/duplicate-keys':
        res.writeHead(200).end('{"keys":[],"keys":[{"kty":"EC"}]}');
        return;
      case '/empty-body':
        res.writeHead(200).end();
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fetchJwks', () => {
  it('returns the keys array of a JWKS', async () => {
    expect(await fetchJwks(`${base}/ok`, fetch, LIMITS)).toEqual([{ kty: 'EC' }]);
  });

  it.each([
    ['/redirect', /HTTP 302 instead of 200/],
    ['/chunked', /larger than 1024 bytes/],
    ['/keys-object', /not a JSON object with a "keys" array/],
    ['/duplicate-keys', /not a JSON object with a "keys" array/],
    ['/empty-body', /not a JSON object with a "keys" array/],
    ['/missing', /HTTP 404/],
  ])('fails for %s', async (path, message) => {
    await expect(fetchJwks(`${base}${path}`, fetch, LIMITS)).rejects.toThrow(message);
  });

  it('times out even when the fetch ignores the abort signal', async () => {
    const never = (() => new Promise<Response>(() => undefined)) as typeof fetch;
    await expect(fetchJwks(`${base}/ok`, never, { ...LIMITS, timeoutMs: 30 })).rejects.toThrow(
      /timed out after 30 ms/,
    );
  });

  it('passes a GET with an abort signal, not following redirects', async () => {
    let init: RequestInit | undefined;
    const spy = ((input: string, i?: RequestInit) => {
      init = i;
      return fetch(input, i);
    }) as typeof fetch;
    await fetchJwks(`${base}/ok`, spy, LIMITS);
    expect(init).toMatchObject({ method: 'GET', redirect: 'manual' });
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });
});
