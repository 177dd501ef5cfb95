/**
 * Watching a caller's `AbortSignal` with one listener per signal, however many calls share it.
 *
 * A listener per call (and per attempt and retry sleep) on a signal shared by many concurrent
 * calls trips Node's `MaxListenersExceededWarning` past 10; here the calls' callbacks share one
 * listener, added with the first callback and removed with the last.
 *
 * @module
 */

interface Watch {
  readonly callbacks: Set<() => void>;
  readonly fire: () => void;
}

const watches = new WeakMap<AbortSignal, Watch>();

function watchOf(signal: AbortSignal): Watch {
  const existing = watches.get(signal);
  if (existing !== undefined) return existing;
  const callbacks = new Set<() => void>();
  const fire = (): void => {
    watches.delete(signal);
    const pending = [...callbacks];
    callbacks.clear();
    for (const callback of pending) {
      try {
        callback();
      } catch (error) {
        // The other callbacks still run; the error surfaces as it would from a listener.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };
  const watch = { callbacks, fire };
  watches.set(signal, watch);
  signal.addEventListener('abort', fire, { once: true });
  return watch;
}

/**
 * Calls `callback` once when `signal` aborts (at once when it already has), and returns the
 * function that cancels it. Cancel in a `finally`: the signal's one listener goes away with the
 * last callback.
 *
 * @example
 * ```ts
 * const stop = onAbort(signal, () => controller.abort(signal.reason));
 * try { await work(controller.signal) } finally { stop() }
 * ```
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    callback();
    return () => undefined;
  }
  const watch = watchOf(signal);
  // A wrapper of its own, so the same callback registered twice is two registrations.
  const registration = (): void => callback();
  watch.callbacks.add(registration);
  return () => {
    if (!watch.callbacks.delete(registration) || watch.callbacks.size > 0) return;
    if (watches.get(signal) === watch) watches.delete(signal);
    signal.removeEventListener('abort', watch.fire);
  };
}
