import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideWith } from '../../test/decide.js';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { createSigner, type TestSigner } from '../../test/signer.js';
import { createVerifier } from '../http/request-verifier.js';
import { fetchJwks } from './fetch-jwks.js';

const LIMITS = { timeoutMs: 1500, maxBytes: 4096 };
const JWKS_PATH = '/_torii/.well-known/jwks.json';
/** 8 MiB of JSON that compresses to a few KiB: a decompression bomb. */
const BOMB_JSON = `{"keys":[],"pad":"${'x'.repeat(8 * 1024 * 1024)}"}`;
/**
 * The bombs, compressed once (compressing 8 MiB on each request would block this process, client
 * included, for longer than the fetch timeout on a loaded machine).
 */
let bombs: { gzip: Buffer; deflate: Buffer; br: Buffer };

let server: Server;
let base: string;
let signer: TestSigner;
const hits: string[] = [];
const trickles = new Set<ServerResponse>();

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  hits.push(url);
  const jwks = JSON.stringify({ keys: [signer.jwk] });
  const [, name] = /^\/([^/]+)/.exec(url) ?? [];
  switch (name) {
    case 'ok':
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
      return;
    case 'gzip-bomb': {
      const body = bombs.gzip;
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': body.length,
      });
      res.end(body);
      return;
    }
    case 'deflate-bomb':
      res.writeHead(200, { 'content-encoding': 'deflate' }).end(bombs.deflate);
      return;
    case 'br-bomb':
      res.writeHead(200, { 'content-encoding': 'br' }).end(bombs.br);
      return;
    case 'gzip-ok':
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(jwks));
      return;
    case 'chunked-endless': {
      // No content-length and no end: only the cap (or the timeout) can stop it.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":[],"pad":"');
      const pump = () => {
        if (res.destroyed) return;
        if (res.write('x'.repeat(1024))) setImmediate(pump);
        else res.once('drain', pump);
      };
      pump();
      return;
    }
    case 'trickle': {
      // A byte every 100 ms: each read is quick, the whole fetch never ends.
      res.writeHead(200, { 'content-type': 'application/json' });
      trickles.add(res);
      res.write('{');
      const timer = setInterval(() => res.write(' '), 100);
      res.on('close', () => {
        clearInterval(timer);
        trickles.delete(res);
      });
      return;
    }
    case 'no-headers':
      // Never answers at all.
      trickles.add(res);
      res.on('close', () => trickles.delete(res));
      return;
    case 'redirect': {
      const status = Number(url.split('/')[2]);
      res.writeHead(status, { location: `${base}/ok${JWKS_PATH}` }).end();
      return;
    }
    case 'html-type':
      res.writeHead(200, { 'content-type': 'text/html' }).end(jwks);
      return;
    case 'json-type-html':
      res.writeHead(200, { 'content-type': 'application/json' }).end('<!doctype html><p>hi</p>');
      return;
    case 'body': {
      const body = decodeURIComponent(url.split('/')[2] ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    case 'bom':
      res.writeHead(200, { 'content-type': 'application/json' }).end(`\ufeff${jwks}`);
      return;
    case 'status': {
      const status = Number(url.split('/')[2]);
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(status === 204 ? undefined : jwks);
      return;
    }
    case 'declared-huge':
      // Announces 1 GB and sends a little, then stalls: refused on the announcement alone.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000000000' });
      res.write('{"keys":[');
      trickles.add(res);
      res.on('close', () => trickles.delete(res));
      return;
    case 'deep':
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(`{"keys":[],"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
      return;
    default:
      res.writeHead(404).end();
  }
}

beforeAll(async () => {
  bombs = {
    gzip: gzipSync(BOMB_JSON),
    deflate: deflateSync(BOMB_JSON),
    br: brotliCompressSync(BOMB_JSON),
  };
  signer = await createSigner('http://127.0.0.1', 'k1');
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  for (const res of trickles) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('fetchJwks against hostile servers', () => {
  it('a gzip bomb with an honest (compressed) content-length: the cap counts decoded bytes', async () => {
    await expect(fetchJwks(`${base}/gzip-bomb`, fetch, LIMITS)).rejects.toThrow(
      /larger than 4096 bytes/,
    );
  });

  it.each(['deflate-bomb', 'br-bomb'])('a %s is capped the same way', async (path) => {
    await expect(fetchJwks(`${base}/${path}`, fetch, LIMITS)).rejects.toThrow(
      /larger than 4096 bytes/,
    );
  });

  it('a small gzip-encoded JWKS is read normally', async () => {
    expect(await fetchJwks(`${base}/gzip-ok`, fetch, LIMITS)).toEqual([signer.jwk]);
  });

  it('an endless chunked body without content-length stops at the cap', async () => {
    await expect(fetchJwks(`${base}/chunked-endless`, fetch, LIMITS)).rejects.toThrow(
      /larger than 4096 bytes/,
    );
  });

  it('a server trickling a byte every 100 ms: the timeout bounds the whole fetch, body included', async () => {
    await expect(
      fetchJwks(`${base}/trickle`, fetch, { ...LIMITS, timeoutMs: 400 }),
    ).rejects.toThrow(/timed out after 400 ms/);
  });

  it('a server that never sends headers times out', async () => {
    await expect(
      fetchJwks(`${base}/no-headers`, fetch, { ...LIMITS, timeoutMs: 200 }),
    ).rejects.toThrow(/timed out after 200 ms/);
  });

  it.each([301, 302, 303, 307, 308])(
    'a %d redirect is a failure and is never followed',
    async (status) => {
      hits.length = 0;
      await expect(fetchJwks(`${base}/redirect/${status}`, fetch, LIMITS)).rejects.toThrow(
        new RegExp(`HTTP ${status} instead of 200`),
      );
      expect(hits).toEqual([`/redirect/${status}`]);
    },
  );

  it.each([201, 203, 204, 206, 304])('status %d is not 200 → failure', async (status) => {
    await expect(fetchJwks(`${base}/status/${status}`, fetch, LIMITS)).rejects.toThrow(
      new RegExp(`HTTP ${status}`),
    );
  });

  it('the content-type is not trusted either way: a JWKS sent as text/html is a JWKS', async () => {
    expect(await fetchJwks(`${base}/html-type`, fetch, LIMITS)).toEqual([signer.jwk]);
    await expect(fetchJwks(`${base}/json-type-html`, fetch, LIMITS)).rejects.toThrow(
      /not a JSON object with a "keys" array/,
    );
  });

  it.each([
    '{"keys":{}}',
    '{"keys":null}',
    '{"keys":"[]"}',
    '{"Keys":[]}',
    '[{"keys":[]}]',
    '"keys"',
    'null',
    '{"keys":[]',
  ])('a 200 with %s is not a JWKS → failure', async (body) => {
    await expect(
      fetchJwks(`${base}/body/${encodeURIComponent(body)}`, fetch, LIMITS),
    ).rejects.toThrow(/not a JSON object with a "keys" array/);
  });

  it('a byte-order mark before the JSON → failure', async () => {
    await expect(fetchJwks(`${base}/bom`, fetch, LIMITS)).rejects.toThrow(/not a JSON object/);
  });

  it('a JWKS nested 10 000 deep is parsed without a stack overflow', async () => {
    expect(await fetchJwks(`${base}/deep`, fetch, { ...LIMITS, maxBytes: 65_536 })).toEqual([]);
  });

  it('a content-length above the cap is refused before the body is read', async () => {
    await expect(fetchJwks(`${base}/declared-huge`, fetch, LIMITS)).rejects.toThrow(
      /larger than 4096 bytes/,
    );
  });
});

describe('hostile JWKS servers through a verifier: 503, never a pass and never a 500', () => {
  it.each([
    'gzip-bomb',
    'chunked-endless',
    'trickle',
    'redirect/302',
    'body/%7B%22keys%22%3A%7B%7D%7D',
  ])('issuer path /%s → jwks_unavailable (503 verification_unavailable)', async (path) => {
    const issuer = `${base}/${path}`;
    const pathSigner = await createSigner(issuer, 'k1');
    const token = await pathSigner.sign();
    const options = {
      issuer,
      tokenCache: false,
      jwksCache: { timeoutMs: 400, maxBytes: 4096 },
    } as const;
    await expectAuthError(createVerifier(options).verify(token), 'jwks_unavailable', token);
    const decision = await decideWith(options, { authorization: `Bearer ${token}` });
    expect(decision).toMatchObject({
      ok: false,
      status: 503,
      body: { error: { code: 'verification_unavailable' } },
    });
    expect(JSON.stringify(decision)).not.toContain(token);
  });
});
