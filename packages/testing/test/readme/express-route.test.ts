import type { AddressInfo } from 'node:net';
import { createVerifier, ToriiAuthError } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The route under test. With @torii/express this is `app.use(requireAuth({ issuer }))`.
function createApp(issuer: string) {
  const verifier = createVerifier({ issuer });
  const app = express();
  app.get('/me', async (req, res) => {
    try {
      const auth = await verifier.authenticate(req);
      res.json({ userId: auth.userId, environmentId: auth.environmentId });
    } catch (error) {
      if (!(error instanceof ToriiAuthError)) throw error;
      res.status(401).json({ error: error.code });
    }
  });
  return app;
}

describe('GET /me', () => {
  let issuer: TestIssuer;
  let baseUrl: string;
  let server: ReturnType<ReturnType<typeof express>['listen']>;

  beforeAll(async () => {
    issuer = await createTestIssuer(); // JWKS on http://127.0.0.1:<free port>
    server = createApp(issuer.issuer).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.close();
    await issuer.close();
  });

  const get = (token?: string) =>
    fetch(`${baseUrl}/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers the signed-in user', async () => {
    const res = await get(await issuer.sign({ sub: 'user_123' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: 'user_123', environmentId: issuer.environmentId });
  });

  it.each([
    ['no token', undefined, 'token_missing'],
    ['expired', { expired: true }, 'token_expired'],
    ['wrong issuer', { issuer: 'https://evil.example' }, 'issuer_mismatch'],
    ['HS256', { alg: 'HS256' }, 'algorithm_not_allowed'],
    ['tampered', { tampered: true }, 'signature_invalid'],
  ] as const)('refuses %s', async (_name, options, code) => {
    const res = await get(options && (await issuer.sign({}, options)));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: code });
  });
});
