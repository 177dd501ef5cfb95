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

describe('an Authorization header longer than any token it could carry', () => {
  // What used to backtrack: the trailing-whitespace trim tried every start position in the run of
  // spaces. The header is refused on its length now, before any parsing; asserted by the message
  // (which names the header, not the token), never by a time.
  const hostile = `Bearer x${' '.repeat(100_000)}y`;

  it('`Bearer x` + 100,000 spaces + `y` → token_malformed, refused on its length', async () => {
    const error = await expectAuthError(
      verifier.authenticate({ authorization: hostile }),
      'token_malformed',
    );
    expect(error.message).toMatch(/the authorization header is longer than \d+ characters/);
  });

  it('the same through the guard → 401 invalid_token, for tabs too and on optional auth', async () => {
    for (const value of [hostile, `Bearer x${'\t'.repeat(100_000)}y`, ' '.repeat(65_536)]) {
      for (const optional of [false, true]) {
        const decision = await decideWith({ ...options, optional }, { authorization: value });
        expect(decision).toMatchObject({
          ok: false,
          status: 401,
          error: { code: 'token_malformed' },
        });
      }
    }
  });

  it('any scheme and any copy counts: an over-long Basic header, or one of two values', async () => {
    const long = `Basic ${'A'.repeat(9000)}`;
    const basic = await expectAuthError(
      verifier.authenticate({ authorization: long }),
      'token_malformed',
    );
    expect(basic.message).toMatch(/longer than/);
    await expectAuthError(
      verifier.authenticate({ authorization: [`Bearer ${token}`, hostile] }),
      'token_malformed',
      token,
    );
  });

  it('the cap follows maxTokenBytes: the token cap plus the scheme and some whitespace', async () => {
    const small = createVerifier({ ...options, maxTokenBytes: 64 });
    const error = await expectAuthError(
      small.authenticate({ authorization: `Bearer ${'a'.repeat(200)}` }),
      'token_malformed',
    );
    expect(error.message).toMatch(/the authorization header is longer than \d+ characters/);
    // Within the cap the header is read, and the token judged by the token parser.
    const parsed = await expectAuthError(
      small.authenticate({ authorization: `Bearer ${'a'.repeat(64)}` }),
      'token_malformed',
    );
    expect(parsed.message).not.toMatch(/header/);
  });

  it('a token of exactly maxTokenBytes with whitespace around it still verifies', async () => {
    const big = await signer.sign({ sub: 'user_alice', pad: 'p'.repeat(7600) });
    const exact = createVerifier({ ...options, maxTokenBytes: big.length });
    await expect(
      exact.authenticate({ authorization: `  bearer \t ${big} \t  ` }),
    ).resolves.toMatchObject({ userId: 'user_alice' });
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
