/**
 * Reading one header out of any of the request shapes of {@link RequestLike}.
 *
 * @module
 */
import type { HeaderValue, RequestLike } from '../request-like.js';

/** The values found for a header: none, one, or several (sent more than once). */
export type HeaderValues = readonly string[];

interface HeadersLike {
  get(name: string): string | null;
}

function isHeadersLike(value: unknown): value is HeadersLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Map) &&
    typeof (value as { get?: unknown }).get === 'function' &&
    typeof (value as { append?: unknown }).append === 'function'
  );
}

function pushValue(out: string[], value: HeaderValue): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) {
    for (const v of value) if (typeof v === 'string') out.push(v);
  }
}

/**
 * Whether header name `key` (as sent) is `name` (lower-case). The length is compared first and the
 * lower-cased copy made only when the names differ as sent: most requests send lower-case names,
 * and this runs over every header of the request.
 */
function sameName(key: string, name: string): boolean {
  return key.length === name.length && (key === name || key.toLowerCase() === name);
}

function fromPairs(pairs: Iterable<readonly [string, HeaderValue]>, name: string): string[] {
  const out: string[] = [];
  for (const pair of pairs) {
    if (Array.isArray(pair) && typeof pair[0] === 'string' && sameName(pair[0], name)) {
      pushValue(out, pair[1] as HeaderValue);
    }
  }
  return out;
}

function fromRecord(record: Readonly<Record<string, HeaderValue>>, name: string): string[] {
  const out: string[] = [];
  for (const key of Object.keys(record)) {
    if (sameName(key, name)) pushValue(out, record[key]);
  }
  return out;
}

/**
 * Every value of header `name` (lower-case) in `request`: a Fetch `Request` or anything with a
 * `Headers` (`.headers.get`), a `Headers`, a Node `IncomingMessage` (read from `rawHeaders`,
 * so a header Node would keep only once still shows every value) or anything with a `headers`
 * object, a plain object of headers (any key case, `string` or `string[]` values), a `Map`, or an
 * iterable of `[name, value]` pairs. Values that are not strings are
 * ignored. Shared by bearer-token extraction and webhook verification.
 *
 * @example
 * ```ts
 * readHeader({ Authorization: 'Bearer abc' }, 'authorization'); // ['Bearer abc']
 * readHeader(new Headers(), 'authorization'); // []
 * ```
 */
export function readHeader(request: RequestLike, name: string): HeaderValues {
  if (typeof request !== 'object' || request === null) return [];
  // A Node IncomingMessage keeps only the first of a repeated `authorization` (and a few other
  // headers) in `headers`; `rawHeaders` (and `headersDistinct`, which Node builds from it on first
  // read, allocating an array per header) has every value, so a repeat is seen, not dropped.
  // `rawHeaders` is read directly: it is already there, and this runs on every request. It is
  // looked for first, before the `Headers` shape: on Express's request (whose prototype Express
  // sets on every request, so V8 cannot cache lookups on it) asking for the absent `append`
  // walked the whole prototype chain, ~5,800 instructions a request.
  const raw = (request as { rawHeaders?: unknown }).rawHeaders;
  if (Array.isArray(raw)) return fromRawHeaders(raw, name);
  if (isHeadersLike(request)) return single(request.get(name));
  const distinct = (request as { headersDistinct?: unknown }).headersDistinct;
  if (typeof distinct === 'object' && distinct !== null) {
    return fromRecord(distinct as Readonly<Record<string, HeaderValue>>, name);
  }
  const nested = (request as { headers?: unknown }).headers;
  if (typeof nested === 'object' && nested !== null) {
    if (isHeadersLike(nested)) return single(nested.get(name));
    if (nested instanceof Map || isPairIterable(nested)) {
      return fromPairs(nested as Iterable<readonly [string, HeaderValue]>, name);
    }
    return fromRecord(nested as Readonly<Record<string, HeaderValue>>, name);
  }
  if (request instanceof Map || isPairIterable(request)) {
    return fromPairs(request as Iterable<readonly [string, HeaderValue]>, name);
  }
  return fromRecord(request as Readonly<Record<string, HeaderValue>>, name);
}

/** Every value of `name` in Node's `rawHeaders` (`[name, value, name, value, …]`, names as sent). */
function fromRawHeaders(raw: readonly unknown[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i];
    const value = raw[i + 1];
    if (typeof key === 'string' && typeof value === 'string' && sameName(key, name)) {
      out.push(value);
    }
  }
  return out;
}

function single(value: string | null): HeaderValues {
  return value === null ? [] : [value];
}

function isPairIterable(value: object): boolean {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}
