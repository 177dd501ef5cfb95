import { describe, expect, it } from 'vitest';
import { decodeJsonObject, parseJsonObject } from './json-object.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (s: string): unknown => decodeJsonObject(utf8(s));

describe('decodeJsonObject', () => {
  it('returns a JSON object', () => {
    expect(decode('{"alg":"ES256","n":[1,{"a":null}]}')).toEqual({
      alg: 'ES256',
      n: [1, { a: null }],
    });
    expect(decode(' {} ')).toEqual({});
  });

  it.each([
    ['an array', '[{"a":1}]'],
    ['null', 'null'],
    ['a string', '"{}"'],
    ['a number', '42'],
    ['invalid JSON', '{"a":1,}'],
    ['a single-quoted string', "{'a':1}"],
    ['empty input', ''],
    ['a byte-order mark', '\uFEFF{"a":1}'],
    ['a duplicate member name', '{"sub":"alice","sub":"bob"}'],
    ['a duplicate spelled with an escape', '{"sub":"alice","s\\u0075b":"bob"}'],
    ['a duplicate in a nested object', '{"a":{"x":1,"y":2,"x":3}}'],
    ['a duplicate in an object inside an array', '{"a":[1,{"x":1,"x":1}]}'],
    ['a duplicate "__proto__"', '{"__proto__":1,"__proto__":2}'],
    ['a duplicate beside colons inside strings', '{"a:b":"c:d","a":1,"a":2}'],
    ['a duplicate after an escaped quote and colon', '{"q":"\\":","q":1}'],
    ['a duplicate deep down', `{"a":${'['.repeat(500)}{"x":1,"x":2}${']'.repeat(500)}}`],
  ])('refuses %s', (_, text) => {
    expect(decode(text)).toBeNull();
  });

  it('refuses invalid UTF-8', () => {
    expect(decodeJsonObject(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toBeNull();
  });

  it('allows the same name in different objects, and quotes and braces inside strings', () => {
    expect(decode('{"a":{"x":1},"b":{"x":2},"c":[{"x":3},{"x":4}]}')).not.toBeNull();
    expect(decode('{"a":"}{\\"a\\":1,","b":"\\\\","c":"[\\"a\\"]"}')).toEqual({
      a: '}{"a":1,',
      b: '\\',
      c: '["a"]',
    });
    // A string value equal to a member name is not a member name.
    expect(decode('{"a":"b","b":"a"}')).toEqual({ a: 'b', b: 'a' });
  });

  it('counts members, not colons inside strings', () => {
    expect(decode('{"a:b":"c:d","a":"::","e\\":":1}')).toEqual({
      'a:b': 'c:d',
      a: '::',
      'e":': 1,
    });
    expect(decode(`{"a":${'['.repeat(500)}{"x":1,"y":2}${']'.repeat(500)}}`)).not.toBeNull();
  });

  it('ends a string at a quote after an even run of backslashes, not after an odd one', () => {
    // Names ending in one and two backslashes, then a name ending in an escaped quote.
    expect(decode(String.raw`{"a\\":1,"b\\\\":2,"c\\\"":3,"d\\\\\":\"":4}`)).toEqual({
      'a\\': 1,
      'b\\\\': 2,
      'c\\"': 3,
      'd\\\\":"': 4,
    });
    // The same name twice after such strings is still found.
    expect(decode(String.raw`{"a\\":1,"a\\":2}`)).toBeNull();
    expect(decode(String.raw`{"x":"\\\":\"","k":1,"k":2}`)).toBeNull();
    expect(decode(String.raw`{"x":"\\\\","k":1,"y":"\"","k":2}`)).toBeNull();
    expect(decode(String.raw`{"x":"\\\\","k":1,"y":"\""}`)).toEqual({ x: '\\\\', k: 1, y: '"' });
  });

  it('is the text form of parseJsonObject', () => {
    expect(parseJsonObject('{"sub":"a"}')).toEqual({ sub: 'a' });
    expect(parseJsonObject('{"sub":"a","sub":"b"}')).toBeNull();
    expect(parseJsonObject('[]')).toBeNull();
  });

  it('keeps "__proto__" an own member and pollutes no prototype', () => {
    const value = decode('{"__proto__":{"isAdmin":true},"constructor":1}') as Record<
      string,
      unknown
    >;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});
