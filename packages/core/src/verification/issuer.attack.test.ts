import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectAuthError } from '../../test/expect-auth-error.js';
import { createSigner, type TestSigner } from '../../test/signer.js';
import { ToriiConfigError } from '../errors.js';
import type { AuthenticateOptions } from '../options.js';
import { normalizeIssuer } from './issuer.js';
import { createTokenVerifier as createVerifier } from './verifier.js';
import { resolveVerifierConfig } from './verifier-config.js';

const ISSUER = 'https://acme.torii.so';

function configError(issuer: unknown): ToriiConfigError {
  try {
    createVerifier({ issuer } as AuthenticateOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ToriiConfigError);
    return error as ToriiConfigError;
  }
  throw new Error(`expected a ToriiConfigError for ${JSON.stringify(issuer)}`);
}

describe('the configured issuer: what is refused', () => {
  it.each([
    ['https://evil@acme.torii.so', /credentials/],
    ['https://:secret@acme.torii.so', /credentials/],
    ['https://acme.torii.so@evil.com', /credentials/],
    ['https://acme.torii.so?', /query/],
    ['https://acme.torii.so/?tenant=a', /query/],
    ['https://acme.torii.so/#', /fragment/],
    ['http://127.0.0.1.evil.com', /https URL/],
    ['http://127.0.0.1.nip.io', /https URL/],
    ['http://localhost.evil.com', /https URL/],
    ['http://localhost.', /https URL/],
    ['http://0.0.0.0:3000', /https URL/],
    ['http://[::]:3000', /https URL/],
    ['http://[::ffff:127.0.0.1]', /https URL/],
    ['http://10.0.0.1', /https URL/],
    ['http://169.254.169.254', /https URL/],
    ['ws://localhost:3000', /https URL/],
    ['file:///etc/passwd', /https URL/],
    ['javascript:alert(1)', /https URL/],
    ['data:text/plain,x', /https URL/],
    ['https://', /absolute URL/],
    ['//acme.torii.so', /absolute URL/],
    ['https://acme.torii.so\n', /whitespace/],
    ['\thttps://acme.torii.so', /whitespace/],
    ['https://torii.example.com/tenant/..', /"\.\." path segment/],
    ['https://torii.example.com/tenant/../other', /"\.\." path segment/],
    ['https://torii.example.com/tenant/%2E%2e/other', /"\.\." path segment/],
    ['https://torii.example.com/./tenant', /"\.\." path segment/],
    ['https://torii.example.com\\tenant', /backslash/],
    ['http://127.0.0.1\\@evil.com', /backslash/],
    ['https://ac\tme.torii.so', /line break/],
    ['https://acme.torii.so/ten\nant', /line break/],
  ])('refuses %j', (issuer, message) => {
    expect(configError(issuer).message).toMatch(message);
  });

  it('never echoes a password of an issuer it refuses', () => {
    for (const issuer of ['https://user:hunter2@acme.torii.so', 'https://user:hunter2@']) {
      expect(configError(issuer).message).not.toContain('hunter2');
    }
  });
});

describe('the configured issuer: one canonical form, the one fetch requests', () => {
  it.each([
    ['HTTPS://ACME.TORII.SO', ISSUER],
    ['https://Acme.Torii.So/', ISSUER],
    ['https://acme.torii.so:443', ISSUER],
    ['https://acme.torii.so:443///', ISSUER],
    ['https://acme.torii.so:8443', 'https://acme.torii.so:8443'],
    ['https://torii.example.com/Tenant/', 'https://torii.example.com/Tenant'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['http://LOCALHOST:80/', 'http://localhost'],
    ['http://127.1:4000', 'http://127.0.0.1:4000'],
    ['http://2130706433', 'http://127.0.0.1'],
    ['http://[0:0:0:0:0:0:0:1]:8080', 'http://[::1]:8080'],
  ])('%s → %s, and its JWKS URL is built from that form', (issuer, canonical) => {
    expect(normalizeIssuer(issuer)).toBe(canonical);
    const config = resolveVerifierConfig({ issuer });
    expect(config.claims.issuer).toBe(canonical);
    expect(config.jwksUrl).toBe(`${canonical}/_torii/.well-known/jwks.json`);
    expect(createVerifier({ issuer }).issuer).toBe(canonical);
  });
});

describe('the iss claim: compared exactly with the configured issuer, trailing slashes aside', () => {
  let signer: TestSigner;
  beforeAll(async () => {
    signer = await createSigner(ISSUER, 'k1');
  });
  const verifierFor = (issuer: string) =>
    createVerifier({ issuer, jwks: { keys: [signer.jwk] }, tokenCache: false });

  it.each([
    'HTTPS://ACME.TORII.SO',
    'https://Acme.torii.so',
    'https://acme.torii.so:443',
    'https://acme.torii.so ',
    ' https://acme.torii.so',
    'https://acme.torii.so/ ',
    'https://acme.torii.so\u0000',
    'https://acme.torii.so\n',
    'https://acme.torii.so?',
    'https://acme.torii.so/?x=1',
    'https://acme.torii.so#',
    'https://evil@acme.torii.so',
    'https://acme.torii.so.',
    'https://acme.torii.so/.',
    'https://acme.torii.so\\',
    'https://acme.torii.so/%2F',
    'https://acme.torii.so.evil.com',
    'https://xn--acme.torii.so',
    'acme.torii.so',
    'http://acme.torii.so',
  ])('refuses iss %j (issuer_mismatch)', async (iss) => {
    const token = await signer.sign({ iss });
    await expectAuthError(verifierFor(ISSUER).verify(token), 'issuer_mismatch', token);
  });

  it.each([[['https://acme.torii.so']], [{ href: ISSUER }], [null]])(
    'refuses a non-string iss %j (claims_invalid)',
    async (iss) => {
      const token = await signer.sign({ iss });
      await expectAuthError(verifierFor(ISSUER).verify(token), 'claims_invalid', token);
    },
  );

  it.each([
    ['https://acme.torii.so', 'https://acme.torii.so///'],
    ['HTTPS://Acme.Torii.So:443/', 'https://acme.torii.so'],
    ['https://acme.torii.so:443', 'https://acme.torii.so/'],
  ])('configured %s accepts iss %s', async (issuer, iss) => {
    const auth = await verifierFor(issuer).verify(await signer.sign({ iss }));
    expect(auth.issuer).toBe(ISSUER);
  });

  it.each([
    'https://torii.example.com/tenant-b',
    'https://torii.example.com/tenant-A',
    'https://torii.example.com/tenant-a/sub',
    'https://torii.example.com/tenant-ab',
    'https://torii.example.com',
    'https://torii.example.com/',
  ])('a path issuer (tenant-a) refuses the sibling or parent iss %j', async (iss) => {
    const token = await signer.sign({ iss });
    await expectAuthError(
      verifierFor('https://torii.example.com/tenant-a').verify(token),
      'issuer_mismatch',
      token,
    );
  });
});

describe('the JWKS URL of an issuer with a path, on a real server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('fetches {issuer}/_torii/.well-known/jwks.json under the path, once for every spelling', async () => {
    const paths: string[] = [];
    let signer: TestSigner | undefined;
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      if (req.url !== '/tenant/_torii/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [signer?.jwk] }));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const issuer = `http://127.0.0.1:${port}/tenant`;
    signer = await createSigner(issuer, 'k1');
    const token = await signer.sign();
    const spellings = [
      issuer,
      `${issuer}/`,
      `HTTP://127.0.0.1:${port}/tenant//`,
      `http://127.1:${port}/tenant`,
    ];
    for (const spelling of spellings) {
      const auth = await createVerifier({ issuer: spelling, tokenCache: false }).verify(token);
      expect(auth.issuer).toBe(issuer);
    }
    expect(paths).toEqual(['/tenant/_torii/.well-known/jwks.json']);
  });
});
