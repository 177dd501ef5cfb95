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
