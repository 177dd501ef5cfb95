/**
 * Strict JSON decoding of JOSE header and claims segments.
 *
 * @module
 */

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A decoded JSON object (never an array, `null` or a primitive). */
export type JsonObject = Record<string, unknown>;

/**
 * Decodes `bytes` as UTF-8 JSON and returns the value when it is a JSON object in which no object
 * has the same member name twice; `null` otherwise (invalid UTF-8, a byte-order mark, invalid
 * JSON, an array or primitive, or a duplicate member name such as `{"sub":"a","sub":"b"}`, which
 * different parsers resolve differently).
 *
 * @example
 * ```ts
 * decodeJsonObject(new TextEncoder().encode('{"alg":"ES256"}')); // { alg: 'ES256' }
 * decodeJsonObject(new TextEncoder().encode('[1]')); // null
 * ```
 */
export function decodeJsonObject(bytes: Uint8Array): JsonObject | null {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return null;
  }
  return parseJsonObject(text);
}

/**
 * Parses `text` and returns the value when it is a JSON object in which no object has the same
 * member name twice; `null` otherwise (invalid JSON, an array or primitive, a duplicate member
 * name). The text form of {@link decodeJsonObject}, for text that is already decoded.
 *
 * @example
 * ```ts
 * parseJsonObject('{"sub":"a"}');          // { sub: 'a' }
 * parseJsonObject('{"sub":"a","sub":"b"}'); // null
 * ```
 */
export function parseJsonObject(text: string): JsonObject | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return memberCount(text) === distinctMemberCount(value) ? (value as JsonObject) : null;
}

/**
 * How many members the objects of `json` (valid JSON) write: one `:` outside strings per member,
 * and no other `:` outside strings.
 */
function memberCount(json: string): number {
  let count = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) i = endOfString(json, i);
    else if (c === 0x3a /* : */) count++;
  }
  return count;
}

/**
 * How many members the parsed objects of `value` have. JSON.parse keeps one member per name, so
 * this is smaller than {@link memberCount} exactly when some object names a member twice (names
 * compared after unescaping: `"sub"` and `"s\u0075b"` are the same name). Iterative: nesting
 * however deep cannot overflow the stack.
 */
function distinctMemberCount(value: object): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    if (Array.isArray(next)) {
      for (const item of next) if (typeof item === 'object' && item !== null) pending.push(item);
    } else {
      const members = Object.values(next);
      count += members.length;
      for (const member of members) {
        if (typeof member === 'object' && member !== null) pending.push(member);
      }
    }
  }
  return count;
}

/**
 * Index of the closing quote of the string opening at `start` in valid JSON: the first `"` after it
 * that follows an even number of backslashes. Found with `indexOf` (the runtime's own scan, a few
 * times faster than reading the string a char at a time); each backslash is looked at once at
 * most, so the scan stays linear in the length of `json`.
 */
function endOfString(json: string, start: number): number {
  let end = json.indexOf('"', start + 1);
  while (end > 0 && json.charCodeAt(end - 1) === 0x5c /* \ */ && isEscaped(json, end)) {
    end = json.indexOf('"', end + 1);
  }
  // Valid JSON closes every string; the length stops the caller's loop should that ever fail.
  return end < 0 ? json.length : end;
}

/** Whether the quote at `quote` is escaped: an odd run of backslashes right before it. */
function isEscaped(json: string, quote: number): boolean {
  let i = quote - 1;
  while (json.charCodeAt(i) === 0x5c) i--;
  return ((quote - 1 - i) & 1) === 1;
}
