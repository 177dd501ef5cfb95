import { describe, expect, it } from 'vitest';
import type { RequestLike } from '../request-like.js';
import { readHeader } from './read-header.js';

describe('readHeader on a Node request (rawHeaders)', () => {
  it('returns every value of the header, in any name case, in order', () => {
    const request = {
      rawHeaders: ['Host', 'x', 'Authorization', 'Bearer a', 'AUTHORIZATION', 'Bearer b'],
      headers: { authorization: 'Bearer a' },
    };
    expect(readHeader(request, 'authorization')).toEqual(['Bearer a', 'Bearer b']);
    expect(readHeader(request, 'host')).toEqual(['x']);
    expect(readHeader(request, 'cookie')).toEqual([]);
  });

  it('ignores a name of the same length that differs, and malformed pairs', () => {
    const request = {
      rawHeaders: ['Authorizatiom', 'Bearer a', 'authorization', 7, 'authorization'],
    };
    expect(readHeader(request as unknown as RequestLike, 'authorization')).toEqual([]);
  });
});

describe('readHeader name matching', () => {
  it('matches names sent in lower case and in any other case, in every request form', () => {
    const raw = { rawHeaders: ['authorization', 'Bearer a', 'Authorization', 'Bearer b'] };
    expect(readHeader(raw, 'authorization')).toEqual(['Bearer a', 'Bearer b']);
    const record = { headers: { authorization: 'Bearer a', AUTHORIZATION: ['Bearer b'] } };
    expect(readHeader(record, 'authorization')).toEqual(['Bearer a', 'Bearer b']);
    const pairs = new Map<string, string>([
      ['authorization', 'Bearer a'],
      ['AuThOrIzAtIoN', 'Bearer b'],
    ]);
    expect(readHeader(pairs, 'authorization')).toEqual(['Bearer a', 'Bearer b']);
    expect(readHeader({ 'X-Torii-Token': 't' }, 'x-torii-token')).toEqual(['t']);
  });

  it('does not match a longer or shorter name that starts like it', () => {
    const names = ['authorizations', 'Authorizatio', 'authorization ', ' authorization'];
    const values = names.map((name, i) => [name, `Bearer ${i}`] as const);
    expect(readHeader({ rawHeaders: values.flat() }, 'authorization')).toEqual([]);
    expect(readHeader(Object.fromEntries(values), 'authorization')).toEqual([]);
    expect(readHeader(new Map(values), 'authorization')).toEqual([]);
  });
});

describe('readHeader precedence', () => {
  it('reads rawHeaders before a get() method: a Node request with helpers is still read raw', () => {
    // Express's request has get(); an object with rawHeaders is a Node request, read from every
    // raw value (a repeated header shows), whatever methods it also carries.
    const request = {
      rawHeaders: ['Authorization', 'Bearer a', 'authorization', 'Bearer b'],
      get: () => 'Bearer a',
      append: () => undefined,
    };
    expect(readHeader(request as unknown as RequestLike, 'authorization')).toEqual([
      'Bearer a',
      'Bearer b',
    ]);
    expect(readHeader(new Headers({ authorization: 'Bearer h' }), 'authorization')).toEqual([
      'Bearer h',
    ]);
  });
});
