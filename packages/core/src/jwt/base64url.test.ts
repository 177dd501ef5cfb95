import { describe, expect, it } from 'vitest';
import { decodeBase64Url, decodeBase64UrlText, isCanonicalBase64Url } from './base64url.js';

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

describe('isCanonicalBase64Url and decodeBase64UrlText: the same rule as decodeBase64Url', () => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  it('agree with decodeBase64Url on every 2- and 3-char tail and every refused spelling', () => {
    const inputs = [
      '',
      'Zg==',
      'Zm8=',
      'a+b/',
      ' Zm9v',
      'Zm9v\n',
      'Zm\t9v',
      'Zm9vY',
      'Zm9é',
      'Zm9\u0000',
    ];
    for (const a of alphabet) for (const b of alphabet) inputs.push(`${a}${b}`, `A${a}${b}`);
    for (const input of inputs) {
      const canonical = decodeBase64Url(input) !== null;
      expect(isCanonicalBase64Url(input)).toBe(canonical);
      if (!canonical) expect(decodeBase64UrlText(input)).toBeNull();
    }
  });

  it('decodes ASCII and UTF-8 text, and refuses bytes that are not UTF-8', () => {
    const encode = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
    expect(decodeBase64UrlText(encode('{"alg":"ES256"}'))).toBe('{"alg":"ES256"}');
    expect(decodeBase64UrlText(encode('{"name":"Zoë 🦊"}'))).toBe('{"name":"Zoë 🦊"}');
    expect(decodeBase64UrlText(encode('\uFEFF{}'))).toBe('\uFEFF{}');
    expect(decodeBase64UrlText(Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url'))).toBeNull();
    // An overlong encoding of "/" and a lone surrogate: not UTF-8.
    expect(decodeBase64UrlText(Buffer.from([0xc0, 0xaf]).toString('base64url'))).toBeNull();
    expect(decodeBase64UrlText(Buffer.from([0xed, 0xa0, 0x80]).toString('base64url'))).toBeNull();
  });

  it('round-trips random text', () => {
    for (let n = 0; n <= 60; n++) {
      const text = String.fromCodePoint(
        ...Array.from({ length: n }, () => Math.floor(Math.random() * 0xd7ff)),
      );
      expect(decodeBase64UrlText(Buffer.from(text, 'utf8').toString('base64url'))).toBe(text);
    }
  });
});
