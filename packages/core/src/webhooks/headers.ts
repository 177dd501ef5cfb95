/**
 * Reading webhook headers from whatever the framework hands over.
 *
 * @module
 */
import type { HeaderValue, RequestLike } from '../options.js';

function toStrings(value: HeaderValue): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  return value.filter((item): item is string => typeof item === 'string');
}

function isHeadersLike(value: object): value is Pick<Headers, 'get'> & { forEach: unknown } {
  return (
    typeof (value as { get?: unknown }).get === 'function' &&
    typeof (value as { forEach?: unknown }).forEach === 'function' &&
    !(value instanceof Map)
  );
}

/**
 * Every value of header `name` (lower case) in a Fetch `Request` or `Headers`, an object with
 * `headers` (Node `IncomingMessage`), a plain object (any key case, string or string[] values), a
 * `Map`, or an iterable of `[name, value]` pairs. An empty array when the header is absent.
 */
export function readHeader(source: RequestLike | undefined | null, name: string): string[] {
  if (typeof source !== 'object' || source === null) return [];
  if (isHeadersLike(source)) {
    const value = source.get(name);
    return value === null ? [] : [value];
  }
  if (!(source instanceof Map) && 'headers' in source) {
    const inner = (source as { headers: unknown }).headers;
    if (typeof inner === 'object' && inner !== null) return readHeader(inner as RequestLike, name);
  }
  const values: string[] = [];
  const entries: Iterable<readonly [string, HeaderValue]> =
    Symbol.iterator in source
      ? (source as Iterable<readonly [string, HeaderValue]>)
      : Object.entries(source as Record<string, HeaderValue>);
  for (const entry of entries) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
    if (entry[0].toLowerCase() === name) values.push(...toStrings(entry[1] as HeaderValue));
  }
  return values;
}
