import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type JwksServer, startJwksServer } from '../../test/jwks-server.js';
import { type PinoCapture, pinoCapture } from '../../test/pino-capture.js';
import { createSigner, type TestSigner } from '../../test/signer.js';
import { createAuthGuard } from '../http/auth-guard.js';
import { createVerifier } from '../http/request-verifier.js';

// What torii logs, through a real pino logger: silent by default but for a key set outage (one
// warning per outage, one info line on recovery); with debug on, one line per denial, per key set
// fetch (with its trigger) — never a token.

let jwks: JwksServer;
let signer: TestSigner;
let log: PinoCapture;

beforeEach(async () => {
  vi.stubEnv('TORII_DEBUG', '');
  jwks = await startJwksServer();
  signer = await createSigner(jwks.issuer, 'k1');
  jwks.setKeys(signer.jwk);
  log = pinoCapture('debug');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await jwks.close();
});

/** Settles every promise (the rejections are what the test is not about). */
const settle = (promises: Promise<unknown>[]) => Promise.allSettled(promises);

describe('a key set outage', () => {
  it('is one warning (URL and cause) however many requests fail, and one info line on recovery', async () => {
    jwks.mode = 'down';
    const verifier = createVerifier({
      issuer: jwks.issuer,
      logger: log.logger,
      jwksCache: { cooldownMs: 0 },
    });
    const token = await signer.sign();
    await settle([verifier.warmup()]);
    await settle(Array.from({ length: 20 }, () => verifier.verify(token)));
    await settle([verifier.verify(token)]);
    expect(jwks.requests).toBeGreaterThan(2);

    const warnings = log.at('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${jwks.issuer}/_torii/.well-known/jwks.json`);
    expect(warnings[0]).toContain('(trigger: startup)');
    expect(warnings[0]).toMatch(/the JWKS request failed/);
    expect(warnings[0]).toMatch(/answered 503/);
    expect(warnings[0]).toContain(`Check the issuer option (${jwks.issuer})`);
    expect(log.at('info')).toEqual([]);
    // debug is off: nothing else
    expect(log.lines().map((l) => l.level)).toEqual(['warn']);

    jwks.mode = 'ok';
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'user_abc' });
    const infos = log.at('info');
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatch(/could be fetched again \(1 keys\) after \d+ failed attempts/);

    // A second outage is a second warning.
    jwks.mode = '500';
    await settle([verifier.verify(await signer.sign({}, { kid: 'k2' }))]);
    expect(log.at('warn')).toHaveLength(2);
    expect(log.at('warn')[1]).toMatch(/trigger: unknown_kid.*HTTP 500.*still used/);
  });

  it('goes to console by default, and nowhere with logger: false', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    jwks.mode = 'down';
    await settle([createVerifier({ issuer: jwks.issuer }).warmup()]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^torii: cannot fetch the issuer's key set/);

    const other = await startJwksServer();
    try {
      other.mode = 'down';
      await settle([createVerifier({ issuer: other.issuer, logger: false }).warmup()]);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      await other.close();
    }
  });

  it('is not logged when the keys are fine (silent by default)', async () => {
    const verifier = createVerifier({ issuer: jwks.issuer, logger: log.logger });
    await verifier.warmup();
    await verifier.verify(await signer.sign());
    await settle([verifier.verify('not.a.token')]);
    expect(log.lines()).toEqual([]);
  });
});

describe('debug logging', () => {
  it('is off unless TORII_DEBUG or debug: true, and TORII_DEBUG=0 keeps it off', async () => {
    vi.stubEnv('TORII_DEBUG', '0');
    const quiet = createAuthGuard({ issuer: jwks.issuer, logger: log.logger });
    expect(quiet.debug).toBe(false);
    await quiet.decide(new Headers());
    expect(log.lines()).toEqual([]);

    vi.stubEnv('TORII_DEBUG', '1');
    expect(createAuthGuard({ issuer: jwks.issuer, logger: log.logger }).debug).toBe(true);
    expect(createAuthGuard({ issuer: jwks.issuer, logger: log.logger, debug: false }).debug).toBe(
      false,
    );
    vi.stubEnv('TORII_DEBUG', '');
    expect(createAuthGuard({ issuer: jwks.issuer, logger: log.logger, debug: true }).debug).toBe(
      true,
    );
  });

  it('writes one line per denial with status, code and reason, never the token', async () => {
    vi.stubEnv('TORII_DEBUG', 'true');
    const guard = createAuthGuard({
      issuer: jwks.issuer,
      logger: log.logger,
      authorize: (auth) => auth.raw.role === 'admin',
    });
    const expired = await signer.sign({ exp: 1, iat: 0 });
    const member = await signer.sign({ role: 'member' });
    const wrongIssuer = await signer.sign({ iss: 'https://elsewhere.example' });
    const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

    expect((await guard.decide(new Headers())).ok).toBe(false);
    expect((await guard.decide(bearer(expired))).ok).toBe(false);
    expect((await guard.decide(bearer(member))).ok).toBe(false);
    expect((await guard.decide(bearer(wrongIssuer))).ok).toBe(false);
    expect((await guard.decide(bearer(await signer.sign({ role: 'admin' })))).ok).toBe(true);

    const denials = log.at('debug').filter((m) => m.startsWith('torii: denied'));
    expect(denials).toEqual([
      expect.stringMatching(/^torii: denied 401 token_missing: /),
      expect.stringMatching(/^torii: denied 401 token_expired: the token has expired/),
      'torii: denied 403 forbidden: authorize did not return true for user user_abc.',
      expect.stringMatching(
        /^torii: denied 401 issuer_mismatch: the token was issued by "https:\/\/elsewhere\.example"/,
      ),
    ]);
    for (const token of [expired, member, wrongIssuer]) {
      for (const segment of token.split('.')) expect(log.raw()).not.toContain(segment);
    }
  });

  it('sends the denial line to a per-call logger (a request-scoped log) when given', async () => {
    const perRequest = pinoCapture('debug');
    const guard = createAuthGuard({ issuer: jwks.issuer, logger: log.logger, debug: true });
    await guard.decide(new Headers(), undefined, { logger: perRequest.logger });
    expect(perRequest.at('debug')).toEqual([
      expect.stringMatching(/^torii: denied 401 token_missing/),
    ]);
    expect(log.at('debug').filter((m) => m.startsWith('torii: denied'))).toEqual([]);
    await expect(guard.decide(new Headers(), undefined, { logger: {} as never })).rejects.toThrow(
      /logger override must be a logger/,
    );
  });

  it('writes one line per key set fetch with its trigger and outcome', async () => {
    const verifier = createVerifier({
      issuer: jwks.issuer,
      logger: log.logger,
      debug: true,
      jwksCache: { cooldownMs: 0 },
    });
    await verifier.warmup();
    const rotated = await createSigner(jwks.issuer, 'k2');
    jwks.setKeys(signer.jwk, rotated.jwk);
    await verifier.verify(await rotated.sign());
    const fetches = log.at('debug').filter((m) => m.includes('key set'));
    expect(fetches).toEqual([
      expect.stringMatching(
        /^torii: fetched the key set of .* \(trigger: startup\): 1 usable keys/,
      ),
      expect.stringMatching(/\(trigger: unknown_kid\): 2 usable keys in \d+ ms\.$/),
    ]);
  });

  it('writes the scheduled refresh too', async () => {
    const verifier = createVerifier({
      issuer: jwks.issuer,
      logger: log.logger,
      debug: true,
      jwksCache: { ttlMs: 1, cooldownMs: 0 },
    });
    await verifier.warmup();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await verifier.verify(await signer.sign());
    await vi.waitFor(() =>
      expect(log.at('debug').some((m) => m.includes('(trigger: scheduled)'))).toBe(true),
    );
  });
});

describe('a logger that misbehaves', () => {
  it('never breaks verification', async () => {
    const throwing = {
      debug: () => {
        throw new Error('boom');
      },
      info: () => {
        throw new Error('boom');
      },
      warn: () => {
        throw new Error('boom');
      },
      error: () => {
        throw new Error('boom');
      },
    };
    jwks.mode = 'down';
    const guard = createAuthGuard({ issuer: jwks.issuer, logger: throwing, debug: true });
    await expect(guard.ready()).resolves.toMatchObject({ ready: false });
    expect((await guard.decide(new Headers())).ok).toBe(false);
  });
});
