import { describe, expect, it } from 'vitest';
import { decodeBase64Url } from './base64url.js';

const bytes = (s: string): number[] => [...Buffer.from(s, 'latin1')];

describe('decodeBase64Url', () => {
  it('decodes the canonical encodings of every length class', () => {
    expect(decodeBase64Url('')).toEqual(new Uint8Array(0));
    expect([...(decodeBase64Url('Zg') ?? [])]).toEqual(bytes('f'));
    expect([...(decodeBase64Url('Zm8') ?? [])]).toEqual(bytes('fo'));
    expect([...(decodeBase64Url('Zm9v') ?? [])]).toEqual(bytes('foo'));
    expect([...(decodeBase64Url('-_-_') ?? [])]).toEqual([0xfb, 0xff, 0xbf]);
  });

  it.each([
    ['padding', 'Zg=='],
    ['single padding', 'Zm8='],
    ['standard base64 "+"', 'a+b/'],
    ['leading space', ' Zm9v'],
    ['trailing newline', 'Zm9v\n'],
    ['inner tab', 'Zm\t9v'],
    ['a length of 4n+1', 'Zm9vY'],
    ['a non-ASCII char', 'Zm9é'],
    ['a NUL char', 'Zm9\u0000'],
    ['non-canonical last char (2-char tail)', 'Zh'],
    ['non-canonical last char (3-char tail)', 'Zm9'],
  ])('refuses %s', (_, input) => {
    expect(decodeBase64Url(input)).toBeNull();
  });

  it('accepts only canonical encodings: every accepted input re-encodes to itself', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let refused = 0;
    for (const a of alphabet) {
      for (const b of alphabet) {
        for (const tail of [`${a}${b}`, `A${a}${b}`]) {
          const decoded = decodeBase64Url(tail);
          if (decoded === null) {
            refused++;
            // Lenient decoders map the refused spelling onto the bytes of a canonical one.
            expect(Buffer.from(tail, 'base64url').toString('base64url')).not.toBe(tail);
          } else {
            expect(Buffer.from(decoded).toString('base64url')).toBe(tail);
          }
        }
      }
    }
    // 2-char tails: 4 of 64 last chars are canonical; 3-char tails: 16 of 64.
    expect(refused).toBe(64 * 60 + 64 * 48);
  });

  it('round-trips random data of every length up to 100 bytes', () => {
    for (let n = 0; n <= 100; n++) {
      const data = crypto.getRandomValues(new Uint8Array(n));
      expect(decodeBase64Url(Buffer.from(data).toString('base64url'))).toEqual(data);
    }
  });
});
