import * as nodeCrypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Es256Backend, setEs256Backend, verifyEs256 } from './es256.js';
import { createNodeEs256Backend, type NodeEs256Crypto, verifyEs256Node } from './es256.node.js';

const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

async function signed(message: string, usages: KeyUsage[] = ['verify']) {
  const pair = await crypto.subtle.generateKey(P256, true, ['sign', 'verify']);
  const input = new TextEncoder().encode(message);
  const signature = new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, input),
  );
  // Re-imported the way the JWKS layer imports keys, with the usages asked for.
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const key = await crypto.subtle.importKey('jwk', jwk, P256, true, usages);
  const tampered = signature.slice();
  tampered[40] = (tampered[40] as number) ^ 0x80;
  return { key, input, signature, tampered };
}

/** Runs `verifyEs256` (prechecks included) with `backend` installed. */
async function through(backend: Es256Backend, ...args: Parameters<Es256Backend>) {
  const previous = setEs256Backend(backend);
  try {
    return await verifyEs256(...args);
  } finally {
    setEs256Backend(previous);
  }
}

/** The real `node:crypto` members, counting the calls. */
function countingCrypto() {
  const calls = { from: 0, verify: 0 };
  const api: NodeEs256Crypto = {
    KeyObject: {
      from(key) {
        calls.from++;
        return nodeCrypto.KeyObject.from(key);
      },
    },
    verify: ((...args: Parameters<typeof nodeCrypto.verify>) => {
      calls.verify++;
      return nodeCrypto.verify(...args);
    }) as typeof nodeCrypto.verify,
  };
  return { api, calls };
}

describe('the node:crypto ES256 backend', () => {
  afterEach(() => vi.restoreAllMocks());

  it('verifies synchronously with node:crypto, converting each key once', async () => {
    const { api, calls } = countingCrypto();
    const backend = createNodeEs256Backend(api);
    const subtleVerify = vi.spyOn(crypto.subtle, 'verify');
    const a = await signed('header.payload');
    const b = await signed('other');
    expect(backend(a.key, a.input, a.signature)).toBe(true); // a boolean, not a promise
    expect(backend(a.key, a.input, a.tampered)).toBe(false);
    expect(backend(a.key, b.input, a.signature)).toBe(false);
    expect(backend(b.key, a.input, a.signature)).toBe(false);
    expect(backend(b.key, b.input, b.signature)).toBe(true);
    expect(calls).toEqual({ from: 2, verify: 5 });
    expect(subtleVerify).not.toHaveBeenCalled();
  });

  it('the installed instance uses the real node:crypto', async () => {
    const { key, input, signature, tampered } = await signed('m');
    const subtleVerify = vi.spyOn(crypto.subtle, 'verify');
    expect(verifyEs256Node(key, input, signature)).toBe(true);
    expect(verifyEs256Node(key, input, tampered)).toBe(false);
    expect(subtleVerify).not.toHaveBeenCalled();
  });

  it('refuses a public key without the verify usage, as Web Crypto does', async () => {
    const { api, calls } = countingCrypto();
    const { key, input, signature } = await signed('m', []);
    expect(key.usages).toEqual([]);
    expect(await through(createNodeEs256Backend(api), key, input, signature)).toBe(false);
    expect(calls.from).toBe(0);
  });

  it('sends keys that are not public ECDSA P-256 to Web Crypto, which refuses them', async () => {
    const { api, calls } = countingCrypto();
    const backend = createNodeEs256Backend(api);
    const { input, signature } = await signed('m');
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    const p384 = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
      'sign',
      'verify',
    ]);
    expect(await through(backend, hmac, input, signature)).toBe(false);
    expect(await through(backend, p384.publicKey, input, signature)).toBe(false);
    expect(await through(backend, p384.privateKey, input, signature)).toBe(false);
    expect(calls.from).toBe(0);
  });

  describe('falls back to Web Crypto, never to true', () => {
    it('when KeyObject.from throws (the real module, spied)', async () => {
      const from = vi.spyOn(nodeCrypto.KeyObject, 'from').mockImplementation(() => {
        throw new TypeError('KeyObject.from is not supported here');
      });
      const subtleVerify = vi.spyOn(crypto.subtle, 'verify');
      const { key, input, signature, tampered } = await signed('m');
      expect(await through(verifyEs256Node, key, input, signature)).toBe(true);
      expect(await through(verifyEs256Node, key, input, tampered)).toBe(false);
      expect(await through(verifyEs256Node, key, new Uint8Array(1), signature)).toBe(false);
      expect(from).toHaveBeenCalledTimes(1); // the key is remembered as a Web Crypto key
      expect(subtleVerify).toHaveBeenCalledTimes(3);
    });

    it('when verify throws: that key goes to Web Crypto from then on', async () => {
      let verifyCalls = 0;
      const backend = createNodeEs256Backend({
        KeyObject: nodeCrypto.KeyObject,
        verify: (() => {
          verifyCalls++;
          throw new Error('verify is not supported here');
        }) as typeof nodeCrypto.verify,
      });
      const subtleVerify = vi.spyOn(crypto.subtle, 'verify');
      const { key, input, signature, tampered } = await signed('m');
      expect(await through(backend, key, input, signature)).toBe(true);
      expect(await through(backend, key, input, tampered)).toBe(false);
      expect(await through(backend, key, input, signature)).toBe(true);
      expect(verifyCalls).toBe(1);
      expect(subtleVerify).toHaveBeenCalledTimes(3);
    });

    it.each<[string, NodeEs256Crypto]>([
      ['node:crypto has neither member', {}],
      [
        'KeyObject has no from',
        { KeyObject: {} as NodeEs256Crypto['KeyObject'], verify: nodeCrypto.verify },
      ],
      ['verify is missing', { KeyObject: nodeCrypto.KeyObject }],
    ])('when %s', async (_, api) => {
      const backend = createNodeEs256Backend(api);
      const { key, input, signature, tampered } = await signed('m');
      expect(await through(backend, key, input, signature)).toBe(true);
      expect(await through(backend, key, input, tampered)).toBe(false);
    });

    it('and answers false when Web Crypto fails too', async () => {
      const backend = createNodeEs256Backend({});
      vi.spyOn(crypto.subtle, 'verify').mockRejectedValue(new Error('no Web Crypto either'));
      const { key, input, signature } = await signed('m');
      expect(await through(backend, key, input, signature)).toBe(false);
    });
  });
});
