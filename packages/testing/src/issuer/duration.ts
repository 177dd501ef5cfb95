/**
 * Durations written as seconds or as `'30s'`, `'15m'`, `'2h'`, `'7d'`.
 *
 * @module
 */

/** A duration: a number of seconds (may be negative), or a string such as `'15m'` or `'-5m'`. */
export type Duration = number | `${number}` | `${number}${'s' | 'm' | 'h' | 'd'}`;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Turn a {@link Duration} into whole seconds.
 *
 * @example
 * ```ts
 * durationToSeconds('15m') // 900
 * durationToSeconds(-60)   // -60
 * ```
 * @throws TypeError on anything else, saying which forms are accepted.
 */
export function durationToSeconds(value: Duration | string, name = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(name, value);
    return Math.trunc(value);
  }
  const match = /^(-?\d+)([smhd]?)$/.exec(value.trim());
  if (match === null) throw invalid(name, value);
  const amount = Number(match[1]);
  const unit = match[2] === '' || match[2] === undefined ? 's' : match[2];
  return amount * (UNIT_SECONDS[unit] ?? 1);
}

function invalid(name: string, value: unknown): TypeError {
  return new TypeError(
    `torii testing: ${name} must be a number of seconds or a string like '30s', '15m', '2h', '7d' ` +
      `(got ${JSON.stringify(value)}).`,
  );
}
