/**
 * The one wrapper of the global `fetch`, used wherever no custom `fetch` option was given.
 *
 * @module
 */

/**
 * Calls `globalThis.fetch` as it is at call time (so a runtime's or a test's replacement is used),
 * never as a method of another object: Workers throw "Illegal invocation" when `fetch` loses its
 * `this`.
 *
 * @example
 * ```ts
 * const fetchFn = options.fetch ?? globalFetch;
 * ```
 */
export const globalFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);
