import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createSigner } from '../../test/signer.js';
import type { ToriiAuth } from '../auth.js';
import { ToriiConfigError, ToriiError } from '../errors.js';
import { AUTH_FAILURE_MESSAGES, forbidden } from './denials.js';
import { createVerifier } from './request-verifier.js';
import {
  createRouteCheck,
  NO_SIGNED_IN_USER_MESSAGE,
  NO_TORII_AUTH_MESSAGE,
  readAuth,
} from './route-check.js';

const ISSUER = 'https://acme.torii.so';
let admin: ToriiAuth;
let member: ToriiAuth;

beforeAll(async () => {
  const signer = await createSigner(ISSUER);
  const verifier = createVerifier({ issuer: ISSUER, jwks: { keys: [signer.jwk] } });
  admin = await verifier.verify(await signer.sign({ sub: 'user_admin', role: 'admin' }));
  member = await verifier.verify(await signer.sign({ sub: 'user_member', role: 'member' }));
});

const isAdmin = (auth: ToriiAuth) => auth.raw.role === 'admin';

describe('createRouteCheck', () => {
  it('a user the check says true to goes on, with that very auth', async () => {
    const decision = await createRouteCheck(isAdmin).decide(admin, {});
    expect(decision).toEqual({ ok: true, auth: admin });
    expect(decision.ok && decision.auth).toBe(admin);
  });

  it('a user the check refuses gets exactly the guard’s 403', async () => {
    expect(await createRouteCheck(isAdmin).decide(member, {})).toEqual(forbidden());
  });

  it('only true allows; async checks are awaited and see the request', async () => {
    const truthy = createRouteCheck((() => 1) as never);
    expect(await truthy.decide(admin, {})).toEqual(forbidden());
    const check = createRouteCheck<{ role: string }>(async (auth, request) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return auth.raw.role === request.role;
    });
    expect(await check.decide(admin, { role: 'member' })).toEqual(forbidden());
    expect(await check.decide(admin, { role: 'admin' })).toEqual({ ok: true, auth: admin });
  });

  it('no user (optional auth without a token): the 401 of a missing token, check not called', async () => {
    const check = vi.fn(() => true);
    const decision = await createRouteCheck(check).decide(null, {});
    expect(decision).toMatchObject({
      ok: false,
      status: 401,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
      body: {
        error: { code: 'authentication_failed', message: AUTH_FAILURE_MESSAGES.token_missing },
      },
      error: { code: 'token_missing' },
    });
    expect(check).not.toHaveBeenCalled();
  });

  it('no torii middleware ran: rejects with the shared ToriiError, check not called', async () => {
    const check = vi.fn(() => true);
    const decision = createRouteCheck(check).decide(undefined, {});
    await expect(decision).rejects.toBeInstanceOf(ToriiError);
    await expect(decision).rejects.toThrow(NO_TORII_AUTH_MESSAGE);
    expect(check).not.toHaveBeenCalled();
  });

  it('an error thrown by the check rejects (for the framework’s error path)', async () => {
    const boom = createRouteCheck(() => {
      throw new RangeError('boom');
    });
    await expect(boom.decide(admin, {})).rejects.toThrow(RangeError);
  });

  it.each([
    ['undefined', undefined],
    ['a string', 'admin'],
    ['an object', { role: 'admin' }],
  ])('a check that is %s throws ToriiConfigError at creation', (_, check) => {
    expect(() => createRouteCheck(check as never)).toThrow(ToriiConfigError);
    expect(() => createRouteCheck(check as never)).toThrow(/authorize\(\)/);
  });
});

describe('readAuth', () => {
  it('returns the user; null only when asked for optional', () => {
    expect(readAuth(admin)).toBe(admin);
    expect(readAuth(admin, { optional: true })).toBe(admin);
    expect(readAuth(null, { optional: true })).toBeNull();
  });

  it('no user without { optional: true }: ToriiError naming the fix', () => {
    expect(() => readAuth(null)).toThrow(ToriiError);
    expect(() => readAuth(null)).toThrow(NO_SIGNED_IN_USER_MESSAGE);
  });

  it('no torii middleware ran: ToriiError naming the fix, even when optional', () => {
    expect(() => readAuth(undefined)).toThrow(NO_TORII_AUTH_MESSAGE);
    expect(() => readAuth(undefined, { optional: true })).toThrow(NO_TORII_AUTH_MESSAGE);
    expect(NO_TORII_AUTH_MESSAGE).toMatch(/requireAuth\(\).*toriiAuth.*ToriiGuard/);
  });
});
