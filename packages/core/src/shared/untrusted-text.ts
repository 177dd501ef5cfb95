/**
 * Showing a value that came from outside (a token's claim, an option's key) in a message or a log
 * line: quoted, capped, and with nothing that could forge or hide log lines.
 *
 * @module
 */

/** C0 and C1 controls, line and paragraph separators, and the bidirectional overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `value` as a message may show it: at most `maxLength` characters (then `…`), every control,
 * line-breaking or bidirectional character written as `\uXXXX`, in double quotes.
 *
 * @example
 * ```ts
 * quoteUntrusted('http://127.0.0.1:4010'); // '"http://127.0.0.1:4010"'
 * quoteUntrusted('a\nb'); // '"a\\u000ab"'
 * ```
 */
export function quoteUntrusted(value: string, maxLength = 120): string {
  const cut = value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
  const safe = cut
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${safe}"`;
}
