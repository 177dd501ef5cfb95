/**
 * The request shapes a header can be read from: shared by request authentication and webhooks.
 *
 * @module
 */

/** A Node-style header bag value. */
export type HeaderValue = string | readonly string[] | number | undefined | null;

/**
 * Anything a request's headers can be read from: a Fetch `Request`, a `Headers`, a Node
 * `IncomingMessage` (or anything with `headers`), a plain object of headers (any key case), a
 * `Map`, or an iterable of `[name, value]` pairs.
 */
export type RequestLike =
  | Request
  | Headers
  | { headers: Headers | Readonly<Record<string, HeaderValue>> }
  | Readonly<Record<string, HeaderValue>>
  | ReadonlyMap<string, HeaderValue>
  | Iterable<readonly [string, HeaderValue]>;
