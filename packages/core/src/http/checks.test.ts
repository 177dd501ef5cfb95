import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createSigner, type TestSigner } from '../../test/signer.js';
import type { ToriiAuth } from '../auth.js';
import { ToriiConfigError } from '../errors.js';
import {
  type AuthCheck,
  allOf,
  anyOf,
  claimEquals,
  claimIncludes,
  emailVerified,
  environment,
  notImpersonating,
  profileComplete,
} from './checks.js';
import { createVerifier } from './request-verifier.js';
import type { Verifier } from './types.js';

const ISSUER = 'https://acme.torii.so';
let signer: TestSigner;
let verifier: Verifier;

beforeAll(async () => {
  signer = await createSigner(ISSUER);
  verifier = createVerifier({ issuer: ISSUER, jwks: { keys: [signer.jwk] }, tokenCache: false });
});

/** A really verified user whose token carries `claims` (on top of valid torii claims). */
async function userWith(claims: Record<string, unknown> = {}): Promise<ToriiAuth> {
  return verifier.verify(await signer.sign(claims));
}

describe('the ready-made checks', () => {
  it('emailVerified: only email_verified === true', async () => {
    expect(emailVerified(await userWith({ email_verified: true }))).toBe(true);
    expect(emailVerified(await userWith({ email_verified: false }))).toBe(false);
    expect(emailVerified(await userWith({ email_verified: 'true' }))).toBe(false);
    expect(emailVerified(await userWith())).toBe(false);
  });

  it('profileComplete: true unless profile_complete is false', async () => {
    expect(profileComplete(await userWith({ profile_complete: true }))).toBe(true);
    expect(profileComplete(await userWith())).toBe(true);
    expect(profileComplete(await userWith({ profile_complete: false }))).toBe(false);
  });

  it('notImpersonating: refuses an impersonation session', async () => {
    expect(notImpersonating(await userWith())).toBe(true);
    expect(notImpersonating(await userWith({ impersonating: false }))).toBe(true);
    expect(notImpersonating(await userWith({ impersonating: true }))).toBe(false);
  });

  it('environment(pid): the token’s pid exactly', async () => {
    const live = environment('env_live');
    expect(live(await userWith({ pid: 'env_live' }))).toBe(true);
    expect(live(await userWith({ pid: 'env_staging' }))).toBe(false);
    expect(live(await userWith({ pid: 'ENV_LIVE' }))).toBe(false);
  });

  it('claimEquals: strict equality with a scalar, own claims only', async () => {
    expect(claimEquals('role', 'admin')(await userWith({ role: 'admin' }))).toBe(true);
    expect(claimEquals('role', 'admin')(await userWith({ role: 'member' }))).toBe(false);
    expect(claimEquals('role', 'admin')(await userWith({ role: ['admin'] }))).toBe(false);
    expect(claimEquals('role', 'admin')(await userWith())).toBe(false);
    expect(claimEquals('level', 3)(await userWith({ level: 3 }))).toBe(true);
    expect(claimEquals('level', 3)(await userWith({ level: '3' }))).toBe(false);
    expect(claimEquals('beta', true)(await userWith({ beta: true }))).toBe(true);
    expect(claimEquals('team', null)(await userWith({ team: null }))).toBe(true);
    expect(claimEquals('team', null)(await userWith())).toBe(false);
    expect(claimEquals('sub', 'user_abc')(await userWith())).toBe(true);
  });

  it('claimIncludes: an element of an array claim or a word of a string claim', async () => {
    const canWrite = claimIncludes('permissions', 'billing:write');
    expect(canWrite(await userWith({ permissions: ['billing:read', 'billing:write'] }))).toBe(true);
    expect(canWrite(await userWith({ permissions: ['billing:read'] }))).toBe(false);
    expect(canWrite(await userWith({ permissions: 'billing:write' }))).toBe(true);
    expect(canWrite(await userWith({ permissions: 'a billing:write\tb' }))).toBe(true);
    expect(canWrite(await userWith({ permissions: 'billing:writer' }))).toBe(false);
    expect(canWrite(await userWith({ permissions: { 'billing:write': true } }))).toBe(false);
    expect(canWrite(await userWith())).toBe(false);
    expect(claimIncludes('levels', 2)(await userWith({ levels: [1, 2] }))).toBe(true);
    expect(claimIncludes('levels', 2)(await userWith({ levels: '1 2' }))).toBe(false);
  });

  it('attack: claim names of Object.prototype never match inherited members', async () => {
    const user = await userWith();
    // (the compiler refuses these names already: their type is a function's, not a claim's)
    expect(claimIncludes('constructor', 'x' as never)(user)).toBe(false);
    expect(claimEquals('toString', null as never)(user)).toBe(false);
    expect(claimEquals('__proto__', null)(user)).toBe(false);
    // an own claim of that name is read as any other (the payload parser keeps it as data)
    const own = await verifier.verify(
      await signer.signRaw(
        JSON.stringify({ alg: 'ES256', kid: 'k1' }),
        JSON.stringify({
          iss: ISSUER,
          sub: 'user_abc',
          pid: 'env_xyz',
          iat: Math.floor(Date.now() / 1000),
          exp: Math.floor(Date.now() / 1000) + 60,
          constructor: 'admin',
        }),
      ),
    );
    expect(claimEquals('constructor', 'admin' as never)(own)).toBe(true);
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'environment(undefined)',
      () => environment(undefined as never),
      /environment\(environmentId\)/,
    ],
    ['environment("")', () => environment(''), /got an empty string/],
    ['claimEquals without a name', () => claimEquals('' as string, 'x'), /claim name/],
    [
      'claimEquals(name, [])',
      () => claimEquals('role', ['admin'] as never),
      /got an array.*claimIncludes/,
    ],
    ['claimEquals(name, {})', () => claimEquals('role', {} as never), /got object/],
    ['claimEquals(name, NaN)', () => claimEquals('level', Number.NaN), /got NaN/],
    [
      'claimEquals(name) without a value',
      () => claimEquals('role', undefined as never),
      /got undefined/,
    ],
    ['claimIncludes(1, "x")', () => claimIncludes(1 as never, 'x'), /got 1/],
    ['claimIncludes(name, [])', () => claimIncludes('roles', [] as never), /got an array/],
    ['allOf()', () => allOf(), /allOf\(\) takes at least one check/],
    ['anyOf()', () => anyOf(), /anyOf\(\) takes at least one check/],
    ['allOf("admin")', () => allOf('admin' as never), /argument 1 is a string/],
    ['anyOf(check, true)', () => anyOf(emailVerified, true as never), /argument 2 is true/],
  ])('%s throws ToriiConfigError at creation', (_, make, message) => {
    expect(make).toThrow(ToriiConfigError);
    expect(make).toThrow(message);
  });
});

describe('allOf and anyOf', () => {
  const yes: AuthCheck = () => true;
  const no: AuthCheck = () => false;
  const later =
    (value: boolean): AuthCheck =>
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return value;
    };

  it('allOf: every check must answer true; it stops at the first that does not', async () => {
    const user = await userWith();
    const spy = vi.fn(() => true);
    expect(allOf(yes, yes)(user, undefined)).toBe(true);
    expect(allOf(yes, no, spy)(user, undefined)).toBe(false);
    expect(spy).not.toHaveBeenCalled();
    expect(await allOf(later(true), yes)(user, undefined)).toBe(true);
    expect(await allOf(yes, later(false), spy)(user, undefined)).toBe(false);
    expect(spy).not.toHaveBeenCalled();
    expect(await allOf(later(true), later(true))(user, undefined)).toBe(true);
  });

  it('anyOf: one check answering true is enough; it stops there', async () => {
    const user = await userWith();
    const spy = vi.fn(() => true);
    expect(anyOf(no, yes, spy)(user, undefined)).toBe(true);
    expect(spy).not.toHaveBeenCalled();
    expect(anyOf(no, no)(user, undefined)).toBe(false);
    expect(await anyOf(later(false), later(true))(user, undefined)).toBe(true);
    expect(await anyOf(later(false), no)(user, undefined)).toBe(false);
  });

  it('only true counts as yes: truthy values are a no', async () => {
    const user = await userWith();
    const truthy = (() => 'yes') as unknown as AuthCheck;
    const truthyLater = (async () => 1) as unknown as AuthCheck;
    expect(allOf(truthy)(user, undefined)).toBe(false);
    expect(await allOf(truthyLater)(user, undefined)).toBe(false);
    expect(anyOf(truthy, no)(user, undefined)).toBe(false);
    expect(await anyOf(truthyLater)(user, undefined)).toBe(false);
  });

  it('pass the request to every check, and compose', async () => {
    const user = await userWith({ role: 'support', email_verified: true });
    const sameTenant: AuthCheck<{ tenant: string }> = (auth, request) =>
      auth.raw.tenant === request.tenant || request.tenant === 'public';
    const staff = anyOf(claimEquals('role', 'admin'), claimEquals('role', 'support'));
    const check = allOf(emailVerified, staff, sameTenant);
    expect(check(user, { tenant: 'public' })).toBe(true);
    expect(check(user, { tenant: 'acme' })).toBe(false);
  });

  it('an error thrown by a check propagates', async () => {
    const user = await userWith();
    const boom: AuthCheck = () => {
      throw new Error('boom');
    };
    const rejects: AuthCheck = async () => {
      throw new Error('later');
    };
    expect(() => allOf(yes, boom)(user, undefined)).toThrow('boom');
    await expect(anyOf(no, rejects)(user, undefined)).rejects.toThrow('later');
  });
});
