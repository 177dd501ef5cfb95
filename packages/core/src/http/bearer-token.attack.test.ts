import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decideWith } from '../../test/decide.js';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { createSigner, type TestSigner } from '../../test/signer.js';
import type { AuthenticateOptions } from '../options.js';
import type { RequestLike } from '../request-like.js';
import { createVerifier } from './request-verifier.js';
import type { Verifier } from './types.js';

const ISSUER = 'https://acme.torii.so';
let signer: TestSigner;
let options: AuthenticateOptions;
let verifier: Verifier;
let token: string;
let other: string;

beforeAll(async () => {
  signer = await createSigner(ISSUER, 'k1');
  options = { issuer: ISSUER, jwks: { keys: [signer.jwk] }, tokenCache: false };
  verifier = createVerifier(options);
  token = await signer.sign({ sub: 'user_alice' });
  other = await signer.sign({ sub: 'user_mallory' });
});

describe('Authorization header spellings', () => {
  it.each([
    ['bearer', () => `bearer ${token}`],
    ['BeArEr', () => `BeArEr ${token}`],
    ['two spaces', () => `Bearer  ${token}`],
    ['a tab', () => `Bearer\t${token}`],
    ['a trailing space', () => `Bearer ${token} `],
    ['a trailing tab', () => `Bearer ${token}\t`],
  ])('%s → verified', async (_, value) => {
    await expect(verifier.authenticate({ authorization: value() })).resolves.toMatchObject({
      userId: 'user_alice',
    });
  });

  it.each([
    ['comma-joined duplicates', () => `Bearer ${token}, Bearer ${other}`],
    ['the same token comma-joined', () => `Bearer ${token}, Bearer ${token}`],
    ['a trailing comma', () => `Bearer ${token},`],
    ['a quoted token', () => `Bearer "${token}"`],
    ['a second word', () => `Bearer ${token} ${other}`],
    ['a second scheme inside', () => `Bearer Bearer ${token}`],
    ['a non-ASCII letter', () => `Bearer ${token.slice(0, -1)}ö`],
    ['a CRLF before the token', () => `Bearer \r\n${token}`],
  ])('%s → token_malformed, never the token in the error', async (_, value) => {
    await expectAuthError(
      verifier.authenticate({ authorization: value() }),
      'token_malformed',
      token,
    );
  });

  it.each([
    ['a no-break space as separator', () => `Bearer\u00a0${token}`],
    ['no separator', () => `Bearer${token}`],
    ['a CR as separator', () => `Bearer\r${token}`],
    ['Basic', () => `Basic ${token}`],
    ['a token without scheme', () => token],
  ])('%s → token_missing', async (_, value) => {
    await expectAuthError(
      verifier.authenticate({ authorization: value() }),
      'token_missing',
      token,
    );
  });
});

describe('a header sent twice over a real Node HTTP connection', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** Sends raw header lines to a real `node:http` server and returns the IncomingMessage. */
  async function receive(headerLines: string[]): Promise<IncomingMessage> {
    let received: (req: IncomingMessage) => void = () => undefined;
    const arrived = new Promise<IncomingMessage>((resolve) => {
      received = resolve;
    });
    server = createServer((req, res) => {
      received(req);
      res.end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET / HTTP/1.1\r\nHost: x\r\n${headerLines.join('\r\n')}\r\nConnection: close\r\n\r\n`,
      );
    });
    socket.on('data', () => undefined);
    return arrived;
  }

  it('two different Authorization headers → token_malformed (Node keeps only the first in req.headers)', async () => {
    const req = await receive([`Authorization: Bearer ${token}`, `Authorization: Bearer ${other}`]);
    expect(req.headers.authorization).toBe(`Bearer ${token}`); // what Node shows: the first one
    await expectAuthError(verifier.authenticate(req), 'token_malformed', token);
    const decision = await decideWith(options, req);
    expect(decision).toMatchObject({ ok: false, status: 401 });
  });

  it('a good header after a bad one is not silently preferred either', async () => {
    const req = await receive([
      'Authorization: Basic dXNlcjpwYXNz',
      `Authorization: Bearer ${token}`,
    ]);
    await expectAuthError(verifier.authenticate(req), 'token_malformed', token);
  });

  it('the same Authorization header twice is one token', async () => {
    const req = await receive([`Authorization: Bearer ${token}`, `Authorization: Bearer ${token}`]);
    await expect(verifier.authenticate(req)).resolves.toMatchObject({ userId: 'user_alice' });
  });

  it('one Authorization header verifies, with any header-name case', async () => {
    const req = await receive([`aUtHoRiZaTiOn: Bearer ${token}`]);
    await expect(verifier.authenticate(req)).resolves.toMatchObject({ userId: 'user_alice' });
  });
});

describe('a Bearer header and a getToken cookie', () => {
  const request = (authorization: string, cookie: string | null) => ({
    headers: { authorization },
    cookie,
  });
  const getToken = (req: { cookie: string | null }) => req.cookie;

  it('getToken wins: its token is verified and the header is ignored', async () => {
    const decision = await decideWith({ ...options, getToken }, request(`Bearer ${other}`, token));
    expect(decision).toMatchObject({ ok: true, auth: { userId: 'user_alice' } });
  });

  it('a bad cookie is not rescued by a good header → 401 invalid_token', async () => {
    const decision = await decideWith(
      { ...options, getToken },
      request(`Bearer ${token}`, 'garbage'),
    );
    expect(decision).toMatchObject({ ok: false, status: 401 });
    expect(JSON.stringify(decision)).not.toContain(token);
  });

  it('no cookie with a header present is "no token" (getToken replaces the header)', async () => {
    const decision = await decideWith({ ...options, getToken }, request(`Bearer ${token}`, null));
    expect(decision).toMatchObject({ ok: false, status: 401, error: { code: 'token_missing' } });
    const optional = await decideWith(
      { ...options, getToken, optional: true },
      request(`Bearer ${token}`, null),
    );
    expect(optional).toEqual({ ok: true, auth: null });
  });

  it('a cookie value with the Bearer prefix is not stripped → token_malformed', async () => {
    await expectAuthError(verifier.verify(`Bearer ${token}`), 'token_malformed', token);
  });

  it('a record of headers is read as is when passed as headers', async () => {
    const auth = await verifier.authenticate({ Authorization: `Bearer ${token}` } as RequestLike);
    expect(auth.userId).toBe('user_alice');
  });
});
