/**
 * The one way options are validated, in every factory of the package (verifier, adapter guard,
 * REST client, webhooks): each helper either returns the checked value or throws a
 * {@link ToriiConfigError} whose message names the option, what it must be, what was given (never
 * a secret: strings are described, not echoed, where they may be one) and the fix.
 *
 * @module
 */
import { ToriiConfigError } from '../errors.js';
import { quoteUntrusted } from './untrusted-text.js';

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

/**
 * Edit distance between `a` and `b` (insertions, deletions, substitutions and swaps of two
 * neighbours each cost 1), compared without case.
 */
function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= x.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= y.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] as number[];
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[x.length] as number[])[y.length] as number;
}

/**
 * The known name `key` was most likely meant to be: the closest within a third of its length
 * (at least 2 edits), else the shortest one it starts, ends or is the start of (`secret` for
 * `secretKey`); `undefined` when none is close.
 *
 * @example
 * ```ts
 * closestName('audiance', ['issuer', 'audience']); // 'audience'
 * ```
 */
export function closestName(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const distance = editDistance(key, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  if (bestDistance <= Math.max(2, Math.ceil(key.length / 3))) return best;
  const lower = key.toLowerCase();
  if (lower.length < 4) return undefined;
  return known
    .filter((name) => {
      const n = name.toLowerCase();
      return n.startsWith(lower) || lower.startsWith(n) || n.endsWith(lower);
    })
    .sort((a, b) => a.length - b.length)[0];
}

/**
 * Own keys that only a framework's request or context has, never torii's options: Node's
 * `IncomingMessage` (Express's `req`) has `rawHeaders` and `method`, Koa's `ctx` has `req`, Hono's
 * context has `finalized`. (An adapter spreads what it was given into its options, so only own
 * keys are left to look at.)
 */
const REQUEST_KEYS: readonly string[] = ['rawHeaders', 'method', 'req', 'finalized'];

/**
 * Throws a `ToriiConfigError` when `options` is a request or a framework context: the middleware
 * factory `where` names was itself used as the middleware (`app.use(requireAuth)`), so the
 * framework called it with the request in place of options. Said plainly, instead of the first
 * request key being reported as an unknown option.
 *
 * @example
 * ```ts
 * checkNotARequest({ ...ctx }, 'requireAuth()');
 * // ToriiConfigError: torii: requireAuth() was given a request (or a framework context) as its options: …
 * ```
 */
export function checkNotARequest(options: Record<string, unknown>, where: string): void {
  if (!REQUEST_KEYS.some((key) => Object.hasOwn(options, key))) return;
  const factory = where.endsWith('()') ? where.slice(0, -2) : where;
  failOption(
    `${where} was given a request (or a framework context) as its options: the framework called ${factory} itself as the middleware. Call it and use what it returns: ${factory}() or ${factory}({ issuer }), not ${factory}.`,
  );
}

/**
 * Refuses any own key of `options` that is not in `known`: a misspelt option would otherwise be
 * ignored without a word (`audiance` would leave the audience unchecked). The message names the
 * factory, the key, the option it most likely meant and every known option.
 *
 * @param options - The options object as given.
 * @param known - Every option the factory takes, its own and those it passes on.
 * @param where - The factory as the user calls it, e.g. `'createVerifier()'`.
 * @throws {@link ToriiConfigError} on the first unknown key
 *
 * @example
 * ```ts
 * checkKnownKeys({ issuer, audiance: 'api' }, ['issuer', 'audience'], 'createVerifier()');
 * // ToriiConfigError: torii: createVerifier() got an unknown option "audiance"; did you mean "audience"? …
 * ```
 */
export function checkKnownKeys(
  options: Record<string, unknown>,
  known: readonly string[],
  where: string,
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const meant = closestName(key, known);
    failOption(
      `${where} got an unknown option ${quoteUntrusted(key, 40)}${
        meant === undefined ? '.' : `; did you mean "${meant}"?`
      } Its options are: ${known.join(', ')}.`,
    );
  }
}
