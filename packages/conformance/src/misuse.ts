/**
 * What an adapter answers to a common mistake, for the adapters' own tests to expect word for
 * word: the text lives in `@torii/core`, and this is the one copy the adapter tests share.
 *
 * @module
 */

/**
 * The `ToriiConfigError` message of a middleware factory handed to the framework uncalled
 * (`app.use(requireAuth)`), so the framework passed it the request in place of options.
 *
 * @example
 * ```ts
 * expect(error.message).toBe(uncalledFactoryMessage('requireAuth'));
 * ```
 */
export function uncalledFactoryMessage(factory: string): string {
  return `torii: ${factory}() was given a request (or a framework context) as its options: the framework called ${factory} itself as the middleware. Call it and use what it returns: ${factory}() or ${factory}({ issuer }), not ${factory}.`;
}
