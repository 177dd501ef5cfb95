/**
 * Keeping the secret key out of everything an error of the REST client carries: an API, or a
 * proxy in front of it, may echo the key back in a problem detail, a body or a header.
 *
 * @module
 */

/** What stands in for the secret key wherever it was echoed. */
export const SECRET_PLACEHOLDER = '[redacted secret key]';

/** Replaces the secret key in text, and in every string (values and member names) of JSON data. */
export interface SecretRedactor {
  /** `value` with every form of the key replaced by {@link SECRET_PLACEHOLDER}. */
  text(value: string): string;
  /** A copy of parsed JSON `value` with {@link SecretRedactor.text} applied to every string in it. */
  deep(value: unknown): unknown;
}

/**
 * The forms an echo may carry: the key itself, URL-encoded (as a URI component, with upper- or
 * lower-case hex, and form-encoded) and JSON-escaped. Longest first, each once.
 */
function formsOf(secretKey: string): string[] {
  const component = encodeURIComponent(secretKey);
  const forms = new Set([
    secretKey,
    component,
    component.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    new URLSearchParams({ k: secretKey }).toString().slice(2),
    JSON.stringify(secretKey).slice(1, -1),
  ]);
  return [...forms].filter((form) => form !== '').sort((a, b) => b.length - a.length);
}

/**
 * Builds the redactor of one secret key.
 *
 * @example
 * ```ts
 * const redact = secretRedactor('sk_test_abc');
 * redact.text('bad key sk_test_abc'); // 'bad key [redacted secret key]'
 * redact.deep({ echoed: ['sk_test_abc'] }); // { echoed: ['[redacted secret key]'] }
 * ```
 */
export function secretRedactor(secretKey: string): SecretRedactor {
  const forms = formsOf(secretKey);
  const text = (value: string): string => {
    let out = value;
    for (const form of forms) {
      if (out.includes(form)) out = out.split(form).join(SECRET_PLACEHOLDER);
    }
    return out;
  };
  return { text, deep: (value) => redactDeep(value, text) };
}

type Container = Record<string, unknown> | unknown[];

function emptyLike(value: object): Container {
  return Array.isArray(value) ? [] : {};
}

/**
 * Copies JSON data (as `JSON.parse` makes it: no cycles) with `text` applied to every string and
 * member name. Iterative, so a deeply nested body cannot overflow the stack; member names are
 * defined, not assigned, so a `__proto__` member stays a plain member.
 */
function redactDeep(value: unknown, text: (value: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (typeof value !== 'object' || value === null) return value;
  const root = emptyLike(value);
  const pending: [source: Container, target: Container][] = [[value as Container, root]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [source, target] = next;
    for (const name of Object.keys(source)) {
      const item = (source as Record<string, unknown>)[name];
      let copy: unknown = item;
      if (typeof item === 'string') copy = text(item);
      else if (typeof item === 'object' && item !== null) {
        copy = emptyLike(item);
        pending.push([item as Container, copy as Container]);
      }
      if (Array.isArray(target)) target.push(copy);
      else {
        Object.defineProperty(target, text(name), {
          value: copy,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
  }
  return root;
}
