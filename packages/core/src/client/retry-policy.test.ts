import { describe, expect, it } from 'vitest';
import { backoffDelay, neverReachedServer, parseRetryAfter, sleep } from './retry-policy.js';

describe('backoffDelay', () => {
  it('is full jitter over an exponential ceiling capped at maxMs', () => {
    expect(backoffDelay(0, 500, 8000, () => 0.999)).toBe(499);
    expect(backoffDelay(3, 500, 8000, () => 0.5)).toBe(2000);
    expect(backoffDelay(10, 500, 8000, () => 0.5)).toBe(4000);
    expect(backoffDelay(2, 500, 8000, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  });
  it('reads an HTTP date, a past date being 0', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('neverReachedServer', () => {
  it('is true only for failures before a connection, found anywhere in the cause chain', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(neverReachedServer(new TypeError('fetch failed', { cause: refused }))).toBe(true);
    expect(neverReachedServer(new AggregateError([refused, refused]))).toBe(true);
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(neverReachedServer(new TypeError('fetch failed', { cause: reset }))).toBe(false);
    expect(neverReachedServer(new AggregateError([refused, reset]))).toBe(false);
    expect(neverReachedServer(new Error('unknown'))).toBe(false);
  });
});

describe('sleep', () => {
  it('rejects at once with the reason when aborted', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});
