import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyEs256 } from './es256.js';

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

async function signed(message: string) {
  const pair = await crypto.subtle.generateKey(ECDSA, false, ['sign', 'verify']);
  const input = new TextEncoder().encode(message);
  const signature = new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, input),
  );
  return { key: pair.publicKey, input, signature };
}

describe('verifyEs256', () => {
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
  ])('refuses a signature that is %s without calling Web Crypto', async (_, signature) => {
    const { key, input } = await signed('m');
    const verify = vi.spyOn(crypto.subtle, 'verify');
    expect(await verifyEs256(key, input, signature)).toBe(false);
    expect(verify).not.toHaveBeenCalled();
  });

  it('answers false, never throws, when Web Crypto refuses the key', async () => {
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    const { input, signature } = await signed('m');
    await expect(verifyEs256(hmac, input, signature)).resolves.toBe(false);
  });
});
