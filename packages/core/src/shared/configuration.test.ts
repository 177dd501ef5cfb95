import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type JwksServer, startJwksServer } from '../../test/jwks-server.js';
import { createSigner } from '../../test/signer.js';
import { ToriiClient } from '../client/client.js';
import { ToriiAuthError, ToriiConfigError } from '../errors.js';
import { createAuthGuard } from '../http/auth-guard.js';
import { AUTH_FAILURE_MESSAGES } from '../http/denials.js';
import { authenticateRequest, createVerifier } from '../http/request-verifier.js';
import { verifyToken } from '../verification/verifier.js';
import { readEnv } from './env.js';
import { closestName } from './option-checks.js';

// Configuration from the environment, and the mistakes caught when an object is built.

beforeEach(() => {
  for (const name of ['TORII_ISSUER', 'TORII_SECRET_KEY', 'TORII_API_URL', 'TORII_DEBUG']) {
    vi.stubEnv(name, '');
  }
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The `ToriiConfigError` that `build` throws. */
function configError(build: () => unknown): ToriiConfigError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ToriiConfigError);
    return error as ToriiConfigError;
  }
  throw new Error('expected a ToriiConfigError');
}

describe('configuration from the environment', () => {
  it('reads TORII_ISSUER when the issuer option is omitted; the option wins when given', () => {
    vi.stubEnv('TORII_ISSUER', 'https://Acme.torii.so/');
    expect(createVerifier().issuer).toBe('https://acme.torii.so');
    expect(createVerifier({}).issuer).toBe('https://acme.torii.so');
    expect(createAuthGuard({ optional: true }).verifier.issuer).toBe('https://acme.torii.so');
    expect(createVerifier({ issuer: 'https://other.torii.so' }).issuer).toBe(
      'https://other.torii.so',
    );
  });

  it('names both the option and the variable when neither is set', () => {
    expect(configError(() => createVerifier()).message).toBe(
      "torii: the issuer option is required: pass it, e.g. { issuer: 'https://acme.torii.so' } (copy it from your torii dashboard), or set the TORII_ISSUER environment variable.",
    );
    expect(configError(() => new ToriiClient()).message).toMatch(
      /^torii: secretKey is required: pass .* or set the TORII_SECRET_KEY environment variable\.$/,
    );
  });

  it('checks a value from the environment like the option, and says where it came from', () => {
    vi.stubEnv('TORII_ISSUER', 'http://acme.torii.so');
    expect(configError(() => createVerifier()).message).toMatch(
      /^torii: the issuer \(from TORII_ISSUER\) must be an https URL/,
    );
    const secret = 'sk_live_0123456789abcdef';
    vi.stubEnv('TORII_SECRET_KEY', `${secret}\n`);
    const error = configError(() => new ToriiClient());
    expect(error.message).toMatch(/secretKey \(from TORII_SECRET_KEY\) contains whitespace/);
    expect(error.message).not.toContain(secret);
    vi.stubEnv('TORII_SECRET_KEY', secret);
    vi.stubEnv('TORII_API_URL', 'ftp://api.local');
    expect(configError(() => new ToriiClient()).message).toMatch(
      /^torii: the apiUrl \(from TORII_API_URL\) must be an https URL/,
    );
  });

  it('reads TORII_SECRET_KEY and TORII_API_URL for ToriiClient; options win', () => {
    vi.stubEnv('TORII_SECRET_KEY', 'sk_test_env');
    vi.stubEnv('TORII_API_URL', 'http://127.0.0.1:4011/');
    expect(new ToriiClient().apiUrl).toBe('http://127.0.0.1:4011');
    expect(new ToriiClient({ apiUrl: 'https://api.example.com' }).apiUrl).toBe(
      'https://api.example.com',
    );
    vi.stubEnv('TORII_API_URL', '');
    expect(new ToriiClient().apiUrl).toBe('https://api.torii.so');
  });

  it('sends the secret key from the environment', async () => {
    vi.stubEnv('TORII_SECRET_KEY', 'sk_test_env');
    let authorization: string | null = null;
    const torii = new ToriiClient({
      fetch: async (_input, init) => {
        authorization = new Headers(init?.headers).get('authorization');
        return Response.json({ id: 'u1' });
      },
    });
    await torii.users.get('u1');
    expect(authorization).toBe('Bearer sk_test_env');
  });

  it('reads nothing where the runtime has no process environment (Workers)', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'process');
    vi.stubEnv('TORII_ISSUER', 'https://acme.torii.so');
    try {
      Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true });
      expect(readEnv('TORII_ISSUER')).toBeUndefined();
      Object.defineProperty(globalThis, 'process', {
        value: {
          get env(): never {
            throw new Error('NotCapable: Requires env access'); // Deno without --allow-env
          },
        },
        configurable: true,
      });
      expect(readEnv('TORII_ISSUER')).toBeUndefined();
    } finally {
      Object.defineProperty(globalThis, 'process', saved as PropertyDescriptor);
    }
    expect(readEnv('TORII_ISSUER')).toBe('https://acme.torii.so');
  });
});

describe('unknown option names', () => {
  it.each([
    ['audiance', 'audience'],
    ['clockTolerence', 'clockTolerance'],
    ['isuer', 'issuer'],
    ['issuerUrl', 'issuer'],
    ['tokencache', 'tokenCache'],
    ['onEvents', 'onEvent'],
  ])('refuses %s in createVerifier() and suggests %s', (key, meant) => {
    const message = configError(() =>
      createVerifier({ issuer: 'https://acme.torii.so', [key]: 1 } as never),
    ).message;
    expect(message).toContain(
      `torii: createVerifier() got an unknown option "${key}"; did you mean "${meant}"?`,
    );
    expect(message).toContain('Its options are: issuer, audience, clockTolerance,');
  });

  it('refuses them in every entry point, each naming itself', async () => {
    const typo = { issuer: 'https://acme.torii.so', audiance: 'api' } as never;
    await expect(verifyToken('t', typo)).rejects.toThrow(
      /verifyToken\(\) got an unknown option "audiance"; did you mean "audience"\?/,
    );
    await expect(authenticateRequest(new Headers(), typo)).rejects.toThrow(
      /authenticateRequest\(\) got an unknown option "audiance"/,
    );
    expect(() => createAuthGuard(typo)).toThrow(/createAuthGuard\(\) got an unknown option/);
    expect(() => new ToriiClient({ secretKey: 'sk_test_x', maxRetry: 1 } as never)).toThrow(
      /new ToriiClient\(\) got an unknown option "maxRetry"; did you mean "maxRetries"\?/,
    );
    expect(() => new ToriiClient({ secret: 'sk_test_x' } as never)).toThrow(
      /did you mean "secretKey"\?/,
    );
  });

  it.each([
    ["Node's IncomingMessage (Express's req)", { rawHeaders: [], method: 'GET', url: '/' }],
    ["Koa's ctx", { request: {}, response: {}, app: {}, req: {}, res: {}, state: {} }],
    ["Hono's context", { env: {}, finalized: false, error: undefined, header: () => undefined }],
  ])('a guard given %s as its options says the factory was used as the middleware', (_, given) => {
    const message = configError(() =>
      createAuthGuard(given as never, { name: 'requireAuth()', options: ['onDenied'] }),
    ).message;
    expect(message).toBe(
      'torii: requireAuth() was given a request (or a framework context) as its options: the framework called requireAuth itself as the middleware. Call it and use what it returns: requireAuth() or requireAuth({ issuer }), not requireAuth.',
    );
  });

  it('knows the options an adapter declares, and suggests among them', () => {
    const adapter = { name: 'requireAuth()', options: ['onDenied'] };
    expect(() =>
      createAuthGuard(
        { issuer: 'https://acme.torii.so', onDenied: () => undefined } as never,
        adapter,
      ),
    ).not.toThrow();
    const message = configError(() =>
      createAuthGuard(
        { issuer: 'https://acme.torii.so', onDenid: () => undefined } as never,
        adapter,
      ),
    ).message;
    expect(message).toMatch(
      /^torii: requireAuth\(\) got an unknown option "onDenid"; did you mean "onDenied"\?/,
    );
    expect(message).toMatch(/getToken, startup, onDenied\.$/);
  });

  it('checks the names inside jwksCache, tokenCache and telemetry', () => {
    const issuer = 'https://acme.torii.so';
    expect(() => createVerifier({ issuer, jwksCache: { ttl: 1 } as never })).toThrow(
      /jwksCache got an unknown option "ttl"; did you mean "ttlMs"\?/,
    );
    expect(() => createVerifier({ issuer, tokenCache: { maxEntires: 1 } as never })).toThrow(
      /tokenCache got an unknown option "maxEntires"; did you mean "maxEntries"\?/,
    );
    expect(() => createVerifier({ issuer, telemetry: { traces: {} } as never })).toThrow(
      /telemetry got an unknown option "traces"; did you mean "tracer"\?/,
    );
  });

  it('suggests nothing when nothing is close, and never echoes control characters', () => {
    expect(closestName('banana', ['issuer', 'audience'])).toBeUndefined();
    const message = configError(() =>
      createVerifier({ issuer: 'https://acme.torii.so', 'x\n[error] forged': 1 } as never),
    ).message;
    expect(message).toContain('unknown option "x\\u000a[error] forged".');
    expect(message).not.toContain('\n');
  });
});

describe('an issuer given as the key set URL', () => {
  it.each([
    'https://acme.torii.so/_torii/.well-known/jwks.json',
    'https://acme.torii.so/.well-known/jwks.json',
    'https://acme.torii.so/.well-known/openid-configuration',
  ])('is refused with the issuer to pass instead: %s', (url) => {
    expect(configError(() => createVerifier({ issuer: url })).message).toBe(
      `torii: the issuer is the URL of a key set or discovery document (${url}), not the issuer. Pass the issuer itself, { issuer: 'https://acme.torii.so' }: torii builds the key set URL from it (https://acme.torii.so/_torii/.well-known/jwks.json).`,
    );
  });

  it('keeps an issuer with a path of its own', () => {
    expect(createVerifier({ issuer: 'https://torii.example.com/tenant/' }).issuer).toBe(
      'https://torii.example.com/tenant',
    );
  });
});

describe('issuer_mismatch explains itself on the server, never in the answer', () => {
  let jwks: JwksServer;
  beforeEach(async () => {
    jwks = await startJwksServer();
  });
  afterEach(async () => {
    await jwks.close();
  });

  it('names the issuer the token carried and explains localhost vs 127.0.0.1', async () => {
    // The local issuer signs as http://127.0.0.1:PORT; the app was configured with localhost.
    const signer = await createSigner(jwks.issuer, 'k1');
    const configured = jwks.issuer.replace('127.0.0.1', 'localhost');
    const guard = createAuthGuard({ issuer: configured, jwks: { keys: [signer.jwk] } });
    const decision = await guard.decide(
      new Headers({ authorization: `Bearer ${await signer.sign()}` }),
    );
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.error?.code).toBe('issuer_mismatch');
    expect(decision.error?.message).toBe(
      `torii: the token was issued by "${jwks.issuer}", not by the configured issuer "${configured}". Both are this machine, but issuers are compared as written: 127.0.0.1 and localhost are different issuers. Configure the issuer exactly as your local issuer signs it ("${jwks.issuer}"). Check the issuer option against your torii dashboard.`,
    );
    // The answer is the fixed one: nothing from the token.
    expect(decision.body).toEqual({
      error: { code: 'authentication_failed', message: AUTH_FAILURE_MESSAGES.issuer_mismatch },
    });
    expect(AUTH_FAILURE_MESSAGES.issuer_mismatch).toBe(
      'The token was issued for another application.',
    );
    expect(JSON.stringify(decision.headers)).not.toContain('127.0.0.1');
    expect(JSON.stringify(decision.body)).not.toContain('127.0.0.1');
  });

  it('caps a long issuer and escapes control and bidi characters in it', async () => {
    const issuer = 'https://acme.torii.so';
    const signer = await createSigner(issuer, 'k1');
    const verifier = createVerifier({ issuer, jwks: { keys: [signer.jwk] } });
    const forged = `https://evil.example/\n[warn] torii: all good\u202e${'x'.repeat(500)}`;
    const error = await verifier.verify(await signer.sign({ iss: forged })).catch((e) => e);
    expect(error).toBeInstanceOf(ToriiAuthError);
    const message = (error as ToriiAuthError).message;
    expect(message).toContain('"https://evil.example/\\u000a[warn] torii: all good\\u202exxx');
    expect(message).toContain('…"');
    expect(message).not.toMatch(/[\n\u202e]/);
    expect(message.length).toBeLessThan(400);
    expect(message).not.toContain('Both are this machine');
  });
});
