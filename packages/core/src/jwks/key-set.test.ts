import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { isEs256VerificationJwk } from './key-filter.js';
import { KeySet } from './key-set.js';

async function p256(kid?: string): Promise<Record<string, unknown>> {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(publicKey)), ...(kid === undefined ? {} : { kid }) };
}

let good: Record<string, unknown>;
beforeAll(async () => {
  good = await p256('good');
});

describe('isEs256VerificationJwk', () => {
  it('accepts an EC P-256 public key with alg ES256 / use sig / key_ops verify, or without them', () => {
    expect(isEs256VerificationJwk(good)).toBe(true);
    expect(isEs256VerificationJwk({ ...good, alg: 'ES256', use: 'sig', key_ops: ['verify'] })).toBe(
      true,
    );
  });

  it.each([
    ['kty RSA', { kty: 'RSA' }],
    ['kty oct', { kty: 'oct' }],
    ['crv P-384', { crv: 'P-384' }],
    ['alg ES384', { alg: 'ES384' }],
    ['alg RS256', { alg: 'RS256' }],
    ['use enc', { use: 'enc' }],
    ['key_ops encrypt', { key_ops: ['encrypt'] }],
    ['key_ops not an array', { key_ops: 'verify' }],
    ['a numeric kid', { kid: 7 }],
    ['a private part d', { d: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
    ['a 33-byte x', { x: Buffer.alloc(33, 1).toString('base64url') }],
    ['a 31-byte y', { y: Buffer.alloc(31, 1).toString('base64url') }],
    ['a non-canonical x', { x: `${'x'.repeat(42)}B` }],
    ['a missing y', { y: undefined }],
  ])('ignores a key with %s', (_, change) => {
    expect(isEs256VerificationJwk({ ...good, ...change })).toBe(false);
  });

  it.each([null, 'jwk', 42, [good]])('ignores a non-object %j', (value) => {
    expect(isEs256VerificationJwk(value)).toBe(false);
  });
});

describe('KeySet.import', () => {
  it('skips a point that is not on the curve (Web Crypto refuses it) and keeps the good keys', async () => {
    const offCurve = { ...(await p256('bad')), y: good.y };
    const set = await KeySet.import([offCurve, good]);
    expect(set.size).toBe(1);
    expect(set.select('bad')).toBe('unknown_kid');
    expect(typeof set.select('good')).toBe('object');
  });

  it('imports public ECDSA keys for verify only, extractable so Node 24 converts them without DEP0204', async () => {
    const key = (await KeySet.import([good])).select('good') as CryptoKey;
    expect(key).toMatchObject({ type: 'public', extractable: true, usages: ['verify'] });
    expect(key.algorithm).toEqual({ name: 'ECDSA', namedCurve: 'P-256' });
  });

  it('ignores RSA, oct, P-384, encryption and private keys; never throws', async () => {
    const rsa = await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey);
    const p384 = await exportJWK((await generateKeyPair('ES384', { extractable: true })).publicKey);
    const priv = await exportJWK(
      (await generateKeyPair('ES256', { extractable: true })).privateKey,
    );
    const set = await KeySet.import([
      { ...rsa, kid: 'rsa' },
      { kty: 'oct', k: 'c2VjcmV0', kid: 'oct' },
      { ...p384, kid: 'p384' },
      { ...(await p256('enc')), use: 'enc' },
      { ...priv, kid: 'private' },
      null,
      'garbage',
      good,
    ]);
    expect(set.size).toBe(1);
    for (const kid of ['rsa', 'oct', 'p384', 'enc', 'private']) {
      expect(set.select(kid)).toBe('unknown_kid');
    }
    expect(typeof set.select(undefined)).toBe('object');
  });

  it('refuses a kid under which the set has two different keys', async () => {
    const twin = await p256('good');
    const set = await KeySet.import([good, twin, await p256('other')]);
    expect(set.select('good')).toBe('ambiguous');
    expect(typeof set.select('other')).toBe('object');
  });

  it('accepts the same key listed twice under one kid', async () => {
    const set = await KeySet.import([good, { ...good }]);
    expect(typeof set.select('good')).toBe('object');
  });

  it('gives a kid-less token the only key, and refuses it when there are several', async () => {
    expect(typeof (await KeySet.import([good])).select(undefined)).toBe('object');
    const two = await KeySet.import([good, await p256()]);
    expect(two.select(undefined)).toBe('ambiguous');
    expect(KeySet.empty.select(undefined)).toBe('unknown_kid');
  });

  it('looks kids up in a Map: __proto__, constructor and a 10 KB kid are just unknown', async () => {
    const set = await KeySet.import([good, await p256('hasOwnProperty')]);
    for (const kid of ['__proto__', 'constructor', 'toString', 'valueOf', 'x'.repeat(10_240)]) {
      expect(set.select(kid)).toBe('unknown_kid');
    }
    expect(typeof set.select('hasOwnProperty')).toBe('object');
  });

  it('imports each key once: a refresh reuses the CryptoKey of an unchanged key', async () => {
    const other = await p256('other');
    const first = await KeySet.import([good]);
    const second = await KeySet.import([good, other], first);
    expect(second.select('good')).toBe(first.select('good'));
    expect(second.has(first.select('good') as CryptoKey)).toBe(true);
    const third = await KeySet.import([other], second);
    expect(third.has(first.select('good') as CryptoKey)).toBe(false);
  });
});
