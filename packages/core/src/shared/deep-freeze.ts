/**
 * Freezing a decoded JSON value and everything in it.
 *
 * @module
 */

/**
 * Freezes `value` and everything in it, and returns it. Iterative, so a value nested however deep
 * (JSON nests 200 000 levels without complaint) cannot overflow the stack.
 *
 * @example
 * ```ts
 * const claims = deepFreeze(JSON.parse('{"roles":["admin"]}'));
 * Object.isFrozen(claims.roles); // true
 * ```
 */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'object' && next !== null && !Object.isFrozen(next)) {
      Object.freeze(next);
      for (const member of Object.values(next)) pending.push(member);
    }
  }
  return value;
}
