/**
 * Values that are ready now or later: the hot path of verification stays synchronous while every
 * step answers synchronously (a cached key, the Node signature backend), and becomes a promise
 * only where a step has to wait.
 *
 * @module
 */

/** A value now, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Whether `value` is a promise (or any thenable) rather than a value ready now.
 *
 * @example
 * ```ts
 * isPromiseLike(Promise.resolve(1)); // true
 * isPromiseLike(1);                  // false
 * ```
 */
export function isPromiseLike<T>(value: MaybePromise<T>): value is Promise<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Applies `next` to `value` now when it is ready, else once it settles (a rejection passes
 * through). `next` may itself throw or answer later.
 *
 * @example
 * ```ts
 * const auth = whenReady(keyOrPromise, (key) => check(key)); // a value, or a promise of one
 * ```
 */
export function whenReady<T, R>(
  value: MaybePromise<T>,
  next: (value: T) => MaybePromise<R>,
): MaybePromise<R> {
  return isPromiseLike(value) ? value.then(next) : next(value);
}
