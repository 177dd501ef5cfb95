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
  let value: unknown;
  try {
    text = UTF8.decode(bytes);
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return hasDuplicateMemberNames(text) ? null : (value as JsonObject);
}

/**
 * Whether some object in `json` (already known to be valid JSON) names a member twice. Names are
 * compared after unescaping, so `"sub"` and `"s\u0075b"` are the same name.
 */
function hasDuplicateMemberNames(json: string): boolean {
  // One entry per open container: the names seen so far for an object, `null` for an array.
  const stack: (Set<string> | null)[] = [];
  let expectName = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = endOfString(json, i);
      const top = stack[stack.length - 1];
      if (expectName && top) {
        const raw = json.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.has(name)) return true;
        top.add(name);
      }
      expectName = false;
      i = end;
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectName = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectName = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectName = false;
    } else if (c === 0x2c /* , */) {
      expectName = stack[stack.length - 1] != null;
    }
  }
  return false;
}

/** Index of the closing quote of the string opening at `start`. */
function endOfString(json: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const c = json.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i;
    else i++;
  }
}
