import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AUTH_FAILURE_MESSAGES } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorOutcome, VerifyOutcome, WebhookOutcome } from '../fixtures/protocol.ts';
import { runOnBun } from './bun.ts';
import { runOnDeno } from './deno.ts';
import { createRuntimeCase, type RuntimeCase } from './runtime-input.ts';
import { packageDir, type RuntimeRun, type RuntimeRunner } from './runtime-run.ts';
import { runOnWorkerd } from './workerd.ts';

const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

/** The exact version a devDependency pins (`1.4.5` or `npm:bun@1.4.5`). */
function pinned(name: string): string {
  const spec = manifest.devDependencies[name] ?? '';
  const version = spec.slice(spec.lastIndexOf('@') + 1);
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`${name} is not pinned exactly: ${spec}`);
  return version;
}

/** The exact `workerd` version the pinned `miniflare` depends on. */
function workerdOfMiniflare(): string {
  const path = createRequire(import.meta.url).resolve('miniflare/package.json');
  const { version, dependencies } = JSON.parse(readFileSync(path, 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
  };
  if (version !== pinned('miniflare')) throw new Error(`miniflare ${version} is installed`);
  return dependencies.workerd ?? 'none';
}

interface RuntimeUnderTest {
  name: string;
  run: RuntimeRunner;
  /** The version the run must report. */
  version: string;
  /** Its `navigator.userAgent`. */
  userAgent: string;
  /** The `@torii/core` entry it must load (relative to `packages/core`). */
  coreEntry: string;
}

const runtimes: RuntimeUnderTest[] = [
  {
    name: 'bun',
    run: runOnBun,
    version: pinned('bun'),
    userAgent: `Bun/${pinned('bun')}`,
    // Bun resolves with the `node` condition, so it gets the node:crypto entry.
    coreEntry: 'dist/index.node.js',
  },
  {
    name: 'deno',
    run: runOnDeno,
    version: pinned('deno'),
    userAgent: `Deno/${pinned('deno')}`,
    // Deno resolves npm packages with the `node` condition too.
    coreEntry: 'dist/index.node.js',
  },
  {
    name: 'workerd',
    run: runOnWorkerd,
    version: workerdOfMiniflare(),
    userAgent: 'Cloudflare-Workers',
    // wrangler's conditions (workerd, worker, browser) never match `node`: the Web Crypto entry.
    coreEntry: 'dist/index.js',
  },
];

let issuer: TestIssuer;
let testCase: RuntimeCase;

beforeAll(async () => {
  issuer = await createTestIssuer({ host: '127.0.0.1', port: 0, environmentId: 'env_runtimes' });
  testCase = await createRuntimeCase(issuer);
});

afterAll(async () => {
  await issuer?.close();
});

function failure(outcome: VerifyOutcome | WebhookOutcome): ErrorOutcome {
  if (outcome.ok) throw new Error('expected a failure, got a success');
  return outcome;
}

function unauthorizedBody(code: keyof typeof AUTH_FAILURE_MESSAGES): string {
  return JSON.stringify({
    error: { code: 'authentication_failed', message: AUTH_FAILURE_MESSAGES[code] },
  });
}

for (const runtime of runtimes)
  describe(runtime.name, () => {
    let run: RuntimeRun;
    let jwksFetches: number;

    beforeAll(async () => {
      const before = issuer.requestCount;
      run = await runtime.run(testCase.input);
      jwksFetches = issuer.requestCount - before;
    }, 45_000);

    it('is the pinned runtime and loads the built packages through their exports', () => {
      expect(run.runtime).toBe(runtime.name);
      expect(run.version).toBe(runtime.version);
      expect(run.report.userAgent).toBe(runtime.userAgent);
      expect(run.coreEntry).toBe(runtime.coreEntry);
      expect(run.honoEntry).toBe('dist/index.js');
    });

    it('fetched the JWKS from the test issuer on 127.0.0.1 itself', () => {
      expect(jwksFetches).toBeGreaterThan(0);
    });

    it('verifies a valid token: userId, environmentId and issuer, frozen', () => {
      expect(run.report.verify.valid).toEqual({
        ok: true,
        userId: testCase.userId,
        environmentId: 'env_runtimes',
        issuer: issuer.issuer,
        frozen: true,
      });
    });

    it.each([
      ['expired', 'token_expired'],
      ['tampered', 'signature_invalid'],
      ['algNone', 'algorithm_not_allowed'],
    ] as const)(
      'rejects the %s token with %s (a ToriiAuthError that does not echo the token)',
      (name, code) => {
        const outcome = failure(run.report.verify[name]);
        expect(outcome).toMatchObject({ name: 'ToriiAuthError', isToriiError: true, code });
        expect(outcome.message).not.toContain(testCase.input.tokens[name]);
        const [header = '', payload = ''] = testCase.input.tokens[name].split('.');
        expect(outcome.message).not.toContain(header);
        expect(outcome.message).not.toContain(payload);
      },
    );

    it('Hono requireAuth answers 200 with the user for the valid token', () => {
      const { valid } = run.report.hono;
      expect(valid.status).toBe(200);
      expect(JSON.parse(valid.body)).toEqual({
        userId: testCase.userId,
        environmentId: 'env_runtimes',
      });
    });

    it('Hono requireAuth answers 401 with the exact body and WWW-Authenticate: Bearer for no token', () => {
      const { missing } = run.report.hono;
      expect(missing.status).toBe(401);
      expect(missing.contentType).toMatch(/^application\/json\b/);
      expect(missing.wwwAuthenticate).toBe('Bearer');
      expect(missing.body).toBe(unauthorizedBody('token_missing'));
    });

    it('Hono requireAuth answers 401 invalid_token for an expired token', () => {
      const { expired } = run.report.hono;
      expect(expired.status).toBe(401);
      expect(expired.wwwAuthenticate).toMatch(/^Bearer error="invalid_token"/);
      expect(expired.body).toBe(unauthorizedBody('token_expired'));
    });

    it('verifyWebhook accepts webhooks signed with signWebhook, in Node and in the runtime', () => {
      expect(run.report.webhook.signedInNode).toEqual({ ok: true, event: testCase.event });
      expect(run.report.webhook.signedHere).toEqual({ ok: true, event: testCase.event });
    });

    it('verifyWebhook rejects a tampered payload with signature_invalid', () => {
      expect(failure(run.report.webhook.tampered)).toMatchObject({
        name: 'ToriiWebhookError',
        isToriiError: true,
        code: 'signature_invalid',
      });
    });
  });
