import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort } from './abort-signal.js';

describe('onAbort: one listener per signal', () => {
  it('1,000 registrations share one listener, gone with the last cancel', () => {
    const { signal } = new AbortController();
    const stops = Array.from({ length: 1000 }, () => onAbort(signal, () => undefined));
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    for (const stop of stops.slice(1)) stop();
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    stops[0]?.();
    stops[0]?.(); // twice is harmless
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('calls every registered callback once on abort, cancelled ones not, even when one throws', async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const same = () => calls.push('same');
    onAbort(controller.signal, same);
    onAbort(controller.signal, same);
    onAbort(controller.signal, () => {
      throw new Error('a failing callback');
    });
    onAbort(controller.signal, () => calls.push('after'));
    onAbort(controller.signal, () => calls.push('cancelled'))();
    const thrown = new Promise<unknown>((resolve) => {
      process.once('uncaughtException', resolve);
    });
    controller.abort();
    controller.abort();
    expect(calls).toEqual(['same', 'same', 'after']);
    expect(await thrown).toMatchObject({ message: 'a failing callback' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an aborted signal calls back at once and adds no listener', () => {
    const signal = AbortSignal.abort();
    let called = 0;
    const stop = onAbort(signal, () => called++);
    expect(called).toBe(1);
    stop();
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('a new registration after an abort-and-reuse starts a fresh listener', () => {
    const first = new AbortController();
    onAbort(first.signal, () => undefined);
    first.abort();
    const second = new AbortController();
    const stop = onAbort(second.signal, () => undefined);
    expect(getEventListeners(second.signal, 'abort')).toHaveLength(1);
    stop();
    expect(getEventListeners(second.signal, 'abort')).toHaveLength(0);
  });
});
