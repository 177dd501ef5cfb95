/**
 * The one way options are validated, in every factory of the package (verifier, adapter guard,
 * REST client, webhooks): each helper either returns the checked value or throws a
 * {@link ToriiConfigError} whose message names the option, what it must be, what was given (never
 * a secret: strings are described, not echoed, where they may be one) and the fix.
 *
 * @module
 */
import { ToriiConfigError } from '../errors.js';

/**
 * Throws `ToriiConfigError('torii: ' + message)`.
 *
 * @example
 * ```ts
 * if (!ok) failOption('audience must be a non-empty string.');
 * ```
 */
export function failOption(message: string): never {
  throw new ToriiConfigError(`torii: ${message}`);
}

/** A plain object (not `null`, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a given value is shown in a message: JSON for numbers and booleans, a kind otherwise. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return value === '' ? 'an empty string' : value.trim() === '' ? 'a blank string' : 'a string';
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

/** The rule of a numeric option. */
export interface NumberRule {
  /** Smallest value accepted. */
  readonly min: number;
  /** `min` itself is refused (the value must be greater). @default false */
  readonly exclusive?: boolean;
  /** Only integers. @default false */
  readonly integer?: boolean;
}

/**
 * A numeric option: `fallback` when `undefined`, else a finite number that keeps `rule`.
 *
 * @example
 * ```ts
 * checkNumber(options.clockTolerance, 'clockTolerance', 30, { min: 0 }); // 30 when omitted
 * ```
 */
export function checkNumber(
  value: unknown,
  name: string,
  fallback: number,
  rule: NumberRule,
): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.exclusive === true ? value > rule.min : value >= rule.min) &&
    (rule.integer !== true || Number.isInteger(value));
  if (!ok) {
    const kind = rule.integer === true ? 'an integer' : 'a finite number';
    failOption(
      `${name} must be ${kind} ${rule.exclusive === true ? '>' : '>='} ${rule.min} (got ${describeValue(value)}). Omit it to use the default (${fallback}).`,
    );
  }
  return value;
}

/**
 * A function option: `undefined` or a function. `signature` shows what the function looks like.
 *
 * @example
 * ```ts
 * checkFunction(options.authorize, 'authorize', '(auth, request) => boolean');
 * ```
 */
export function checkFunction<T>(value: T, name: string, signature: string): T {
  if (value !== undefined && typeof value !== 'function') {
    failOption(`${name} must be a function ${signature} (got ${describeValue(value)}).`);
  }
  return value;
}

/**
 * A boolean option: `undefined` or `true`/`false`.
 *
 * @example
 * ```ts
 * checkBoolean(options.optional, 'optional'); // undefined | boolean
 * ```
 */
export function checkBoolean(value: unknown, name: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    failOption(`${name} must be true or false (got ${describeValue(value)}).`);
  }
  return value;
}
