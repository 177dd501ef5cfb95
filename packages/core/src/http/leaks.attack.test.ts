import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideWith } from '../../test/decide.js';
import { type JwksServer, startJwksServer } from '../../test/jwks-server.js';
import { b64url, createSigner, nowSec, type TestSigner } from '../../test/signer.js';
import { ToriiAuthError } from '../errors.js';
import { createVerifier } from './request-verifier.js';

let jwks: JwksServer;
let down: JwksServer;
let signer: TestSigner;

beforeAll(async () => {
  jwks = await startJwksServer();
  down = await startJwksServer();
  down.mode = 'down';
  signer = await createSigner(jwks.issuer, 'k1');
  jwks.setKeys(signer.jwk);
});
afterAll(async () => {
  await jwks.close();
  await down.close();
});

/** Every way an error could be written out: message, stack, JSON, inspect, and the cause chain. */
function renderings(error: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth++) {
    out.push(String(e), JSON.stringify(e) ?? '');
    if (e instanceof Error) {
      out.push(e.message, e.stack ?? '');
      e = e.cause;
    } else break;
  }
  out.push(inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
  return out;
}

function expectNoTrace(text: string, token: string): void {
  expect(text).not.toContain(token);
  for (const segment of token.split('.')) {
    if (segment.length > 8) expect(text).not.toContain(segment);
  }
}

const cases: [string, () => Promise<{ token: string; issuer: string }>][] = [
  [
    'a tampered payload',
    async () => {
      const [h, , s] = (await signer.sign()).split('.');
      const p = b64url(
        JSON.stringify({
          iss: jwks.issuer,
          sub: 'user_admin',
          pid: 'p',
          iat: nowSec(),
          exp: nowSec() + 60,
        }),
      );
      return { token: `${h}.${p}.${s}`, issuer: jwks.issuer };
    },
  ],
  [
    'an expired token',
    async () => ({
      token: await signer.sign({ exp: nowSec() - 3600, iat: nowSec() - 7200 }),
      issuer: jwks.issuer,
    }),
  ],
  [
    'another issuer',
    async () => ({
      token: await signer.sign({ iss: 'https://evil.example' }),
      issuer: jwks.issuer,
    }),
  ],
  [
    'an unknown kid',
    async () => ({
      token: await signer.sign({}, { kid: 'secret-looking-kid-123' }),
      issuer: jwks.issuer,
    }),
  ],
  [
    'alg HS256',
    async () => {
      const [, p, s] = (await signer.sign()).split('.');
      return { token: `${b64url('{"alg":"HS256","kid":"k1"}')}.${p}.${s}`, issuer: jwks.issuer };
    },
  ],
  ['a padded segment', async () => ({ token: `${await signer.sign()}==`, issuer: jwks.issuer })],
  ['claims invalid', async () => ({ token: await signer.sign({ sub: '' }), issuer: jwks.issuer })],
  [
    'keys unreachable',
    async () => ({ token: await signer.sign({ iss: down.issuer }), issuer: down.issuer }),
  ],
];

describe('no failure shows the token, a segment of it, or its claims', () => {
  it.each(cases)('%s', async (_, make) => {
    const { token, issuer } = await make();
    const verifier = createVerifier({ issuer, tokenCache: false });
    const error = await verifier.verify(token).then(
      () => expect.unreachable('verified'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ToriiAuthError);
    for (const text of renderings(error)) {
      expectNoTrace(text, token);
      expect(text).not.toContain('user_admin');
    }
    const decision = await decideWith(
      { issuer, tokenCache: false },
      { authorization: `Bearer ${token}` },
    );
    expect(decision.ok).toBe(false);
    const { error: decisionError, ...written } = decision as typeof decision & { error: unknown };
    expectNoTrace(JSON.stringify(written), token);
    expect(decisionError).toBeInstanceOf(ToriiAuthError);
  });

  it('a header sent twice shows neither value', async () => {
    const a = await signer.sign({ sub: 'user_a' });
    const b = await signer.sign({ sub: 'user_b' });
    const verifier = createVerifier({ issuer: jwks.issuer, tokenCache: false });
    const error = await verifier
      .authenticate({ authorization: [`Bearer ${a}`, `Bearer ${b}`] })
      .catch((e: unknown) => e);
    for (const text of renderings(error)) {
      expectNoTrace(text, a);
      expectNoTrace(text, b);
    }
  });
});
