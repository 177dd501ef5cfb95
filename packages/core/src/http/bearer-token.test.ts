import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { createSigner } from '../../test/signer.js';
import type { RequestLike } from '../request-like.js';
import { readHeader } from '../shared/read-header.js';
import { extractBearerToken } from './bearer-token.js';
import { authenticateRequest, createVerifier } from './request-verifier.js';
import type { Verifier } from './types.js';

/** What the test signer's default claims verify to. */
const EXPECTED_AUTH = { userId: 'user_abc', environmentId: 'env_xyz' };

const ISSUER = 'https://acme.torii.so';
let token: string;
let verifier: Verifier;
let jwk: Record<string, unknown>;

beforeAll(async () => {
  const signer = await createSigner(ISSUER);
  token = await signer.sign();
  jwk = signer.jwk;
  verifier = createVerifier({ issuer: ISSUER, jwks: { keys: [signer.jwk] } });
});

/** Sends one real HTTP request and hands the server's IncomingMessage to `use`. */
async function withIncomingMessage<T>(
  headers: Record<string, string>,
  use: (req: IncomingMessage) => Promise<T>,
): Promise<T> {
  let result: Promise<T> | undefined;
  const server = createServer((req, res) => {
    result = use(req);
    result.then(
      () => res.end('ok'),
      () => res.end('ok'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await (await fetch(`http://127.0.0.1:${port}/`, { headers })).text();
    return await (result as Promise<T>);
  } finally {
    server.close();
  }
}

describe('authenticate() with every RequestLike form', () => {
  const forms: [string, () => RequestLike][] = [
    [
      'a Fetch Request',
      () => new Request('https://api.example/x', { headers: { Authorization: `Bearer ${token}` } }),
    ],
    ['a Headers', () => new Headers({ authorization: `Bearer ${token}` })],
    [
      'an object with a Headers',
      () => ({ headers: new Headers({ authorization: `Bearer ${token}` }) }),
    ],
    ['an object with plain headers', () => ({ headers: { authorization: `Bearer ${token}` } })],
    ['a plain object, lower case', () => ({ authorization: `Bearer ${token}` })],
    ['a plain object, any case', () => ({ AuThOrIzAtIoN: `Bearer ${token}` })],
    ['a plain object with a string[] value', () => ({ authorization: [`Bearer ${token}`] })],
    ['a Map', () => new Map([['Authorization', `Bearer ${token}`]])],
    [
      'an array of pairs',
      () =>
        [
          ['accept', '*/*'],
          ['authorization', `Bearer ${token}`],
        ] as [string, string][],
    ],
    [
      'a generator of pairs',
      () =>
        (function* () {
          yield ['Authorization', `Bearer ${token}`] as const;
        })(),
    ],
  ];

  it.each(forms)('reads %s', async (_, make) => {
    expect((await verifier.authenticate(make())).userId).toBe('user_abc');
  });

  it.each(forms)('authenticateRequest reads %s', async (_, make) => {
    const auth = await authenticateRequest(make(), { issuer: ISSUER, jwks: { keys: [jwk] } });
    expect(auth.userId).toBe('user_abc');
  });

  it('reads a real Node IncomingMessage', async () => {
    const auth = await withIncomingMessage({ authorization: `Bearer ${token}` }, (req) =>
      verifier.authenticate(req),
    );
    expect(auth.userId).toBe('user_abc');
  });

  it('a real IncomingMessage without the header → token_missing', async () => {
    await withIncomingMessage({}, (req) =>
      expectAuthError(verifier.authenticate(req), 'token_missing'),
    );
  });
});

describe('the Bearer scheme', () => {
  it.each([
    ['bearer', `bearer ${'T'}`],
    ['BEARER', `BEARER ${'T'}`],
    ['several spaces', `Bearer    ${'T'}`],
    ['a tab', `Bearer\t${'T'}`],
    ['surrounding spaces', `  Bearer ${'T'}  `],
  ])('accepts %s', (_, value) => {
    expect(extractBearerToken({ authorization: value })).toBe('T');
  });

  it.each([
    ['no header', {}],
    ['an empty header', { authorization: '' }],
    ['"Bearer" alone', { authorization: 'Bearer' }],
    ['"Bearer " alone', { authorization: 'Bearer   ' }],
    ['Basic', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['Token', { authorization: 'Token abc' }],
    ['"Bearerabc"', { authorization: 'Bearerabc' }],
    ['an undefined value', { authorization: undefined }],
    ['a number value', { authorization: 42 }],
    ['an empty array', { authorization: [] }],
  ])('%s → token_missing', async (_, headers) => {
    await expectAuthError(verifier.authenticate(headers as RequestLike), 'token_missing');
  });

  it('a header sent twice with different values → token_malformed', async () => {
    await expectAuthError(
      verifier.authenticate({ authorization: [`Bearer ${token}`, 'Bearer other'] }),
      'token_malformed',
      token,
    );
    await expectAuthError(
      verifier.authenticate({ Authorization: `Bearer ${token}`, authorization: 'Bearer other' }),
      'token_malformed',
    );
    // Headers joins repeated values with ", ": no longer one token.
    const headers = new Headers();
    headers.append('authorization', `Bearer ${token}`);
    headers.append('authorization', 'Bearer other');
    await expectAuthError(verifier.authenticate(headers), 'token_malformed');
  });

  it('the same value sent twice is one token', async () => {
    await expect(
      verifier.authenticate({ authorization: [`Bearer ${token}`, `Bearer ${token}`] }),
    ).resolves.toMatchObject(EXPECTED_AUTH);
  });

  it('whitespace inside the token is not repaired → token_malformed', async () => {
    await expectAuthError(
      verifier.authenticate({ authorization: `Bearer ${token.replace('.', ' .')}` }),
      'token_malformed',
    );
  });

  it('reads a custom header name, and only that header', async () => {
    const custom = createVerifier({
      issuer: ISSUER,
      header: 'X-Torii-Token',
      jwks: { keys: [jwk] },
    });
    await expect(
      custom.authenticate({ 'x-torii-token': `Bearer ${token}` }),
    ).resolves.toMatchObject(EXPECTED_AUTH);
    await expect(
      custom.authenticate(new Headers({ 'X-Torii-Token': `Bearer ${token}` })),
    ).resolves.toMatchObject(EXPECTED_AUTH);
    await expectAuthError(
      custom.authenticate({ authorization: `Bearer ${token}` }),
      'token_missing',
    );
  });
});

describe('readHeader', () => {
  it('ignores non-string values and other headers', () => {
    expect(readHeader({ authorization: 1, other: 'x' } as RequestLike, 'authorization')).toEqual(
      [],
    );
    expect(readHeader([['x-authorization', 'a']] as [string, string][], 'authorization')).toEqual(
      [],
    );
    expect(readHeader(null as unknown as RequestLike, 'authorization')).toEqual([]);
  });

  it('treats a plain "headers" string member as a header, not a container', () => {
    expect(
      readHeader({ headers: 'x', authorization: 'Bearer a' } as RequestLike, 'authorization'),
    ).toEqual(['Bearer a']);
  });
});
