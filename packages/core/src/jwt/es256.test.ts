import { afterEach, describe, expect, it, vi } from 'vitest';
import { ES256_BACKENDS, useEs256Backend } from '../../test/es256-backends.js';
import {
  type Es256Backend,
  getEs256Backend,
  setEs256Backend,
  verifyEs256,
  verifyEs256WebCrypto,
} from './es256.js';

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

async function signed(message: string) {
  const pair = await crypto.subtle.generateKey(ECDSA, false, ['sign', 'verify']);
  const input = new TextEncoder().encode(message);
  const signature = new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, input),
  );
  return { key: pair.publicKey, input, signature };
}

describe('the ES256 backend slot', () => {
  it('is Web Crypto by default (the default entry installs nothing)', () => {
    expect(getEs256Backend()).toBe(verifyEs256WebCrypto);
  });

  it('setEs256Backend swaps the backend and returns the previous one', async () => {
    const { key, input, signature } = await signed('m');
    const calls: unknown[] = [];
    const spy: Es256Backend = (...args) => {
      calls.push(args);
      return false;
    };
    const previous = setEs256Backend(spy);
    try {
      expect(previous).toBe(verifyEs256WebCrypto);
      expect(getEs256Backend()).toBe(spy);
      expect(await verifyEs256(key, input, signature)).toBe(false);
      expect(calls).toEqual([[key, input, signature]]);
    } finally {
      expect(setEs256Backend(previous)).toBe(spy);
    }
    expect(await verifyEs256(key, input, signature)).toBe(true);
  });

  it.each([
    ['throws', () => Promise.reject(new Error('boom')).then(() => true)],
    [
      'throws synchronously',
      (): boolean => {
        throw new Error('boom');
      },
    ],
    ['answers a truthy non-boolean', () => 1 as unknown as boolean],
  ] as const)('answers false when the backend %s', async (_, backend) => {
    const { key, input, signature } = await signed('m');
    const previous = setEs256Backend(backend);
    try {
      expect(await verifyEs256(key, input, signature)).toBe(false);
    } finally {
      setEs256Backend(previous);
    }
  });
});

describe.each(ES256_BACKENDS)('verifyEs256 through %s', (_, backend) => {
  useEs256Backend(backend);
  afterEach(() => vi.restoreAllMocks());

  it('verifies a real P-256 / SHA-256 signature and refuses it on other input', async () => {
    const { key, input, signature } = await signed('header.payload');
    expect(await verifyEs256(key, input, signature)).toBe(true);
    expect(await verifyEs256(key, new TextEncoder().encode('header.payloaD'), signature)).toBe(
      false,
    );
    const flipped = signature.slice();
    flipped[10] = (flipped[10] as number) ^ 1;
    expect(await verifyEs256(key, input, flipped)).toBe(false);
  });

  it('refuses a signature of another key', async () => {
    const a = await signed('m');
    const b = await signed('m');
    expect(await verifyEs256(b.key, a.input, a.signature)).toBe(false);
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['63 bytes', new Uint8Array(63).fill(1)],
    ['65 bytes', new Uint8Array(65).fill(1)],
    ['all zero (CVE-2022-21449)', new Uint8Array(64)],
    ['r = 0', Uint8Array.from({ length: 64 }, (_, i) => (i < 32 ? 0 : 1))],
    ['s = 0', Uint8Array.from({ length: 64 }, (_, i) => (i < 32 ? 1 : 0))],
  ])('refuses a signature that is %s without calling the backend', async (_, signature) => {
    const { key, input } = await signed('m');
    let called = 0;
    setEs256Backend((...args) => {
      called++;
      return backend(...args);
    });
    const subtleVerify = vi.spyOn(crypto.subtle, 'verify');
    expect(await verifyEs256(key, input, signature)).toBe(false);
    expect(called).toBe(0);
    expect(subtleVerify).not.toHaveBeenCalled();
  });

  it('answers false, never throws, for a key that is not an ECDSA verify key', async () => {
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    const { input, signature } = await signed('m');
    expect(await verifyEs256(hmac, input, signature)).toBe(false);
  });
});
