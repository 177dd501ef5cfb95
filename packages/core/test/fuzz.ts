/**
 * Shared pieces of the property-based fuzz tests: bounded run counts, inputs biased toward the
 * structure each parser reads, and the one property they all check (a value, or an error of a
 * documented code, never anything else).
 *
 * @module
 */
import fc from 'fast-check';
import {
  ToriiAuthError,
  ToriiAuthErrorCodes,
  ToriiWebhookError,
  ToriiWebhookErrorCodes,
} from '../src/errors.js';

/** Runs per property: enough to explore, bounded so the suite stays quick in CI. */
export const RUNS = 1000;

/** base64url's alphabet. */
export const BASE64URL_CHARS = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
];

/**
 * Strings made of pieces a header or token parser looks at (schemes, whitespace, dots, base64url
 * characters, quotes, commas, braces, escapes), so that runs reach the parser's branches instead
 * of failing at the first character.
 */
export function structured(pieces: readonly string[], maxLength = 120): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...pieces), maxLength });
}

/** Any string: full unicode (lone surrogates included) or raw Latin-1 code units. */
export function anyString(maxLength = 200): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength,
    }),
  );
}

/** Checks that `error` is a {@link ToriiAuthError} with a documented code. */
export function expectAuthOutcome(error: unknown): void {
  if (!(error instanceof ToriiAuthError)) {
    throw new Error(`expected a ToriiAuthError, got ${String(error)}`, { cause: error });
  }
  if (!(ToriiAuthErrorCodes as readonly string[]).includes(error.code)) {
    throw new Error(`undocumented ToriiAuthError code ${error.code}`);
  }
}

/** Checks that `error` is a {@link ToriiWebhookError} with a documented code. */
export function expectWebhookOutcome(error: unknown): void {
  if (!(error instanceof ToriiWebhookError)) {
    throw new Error(`expected a ToriiWebhookError, got ${String(error)}`, { cause: error });
  }
  if (!(ToriiWebhookErrorCodes as readonly string[]).includes(error.code)) {
    throw new Error(`undocumented ToriiWebhookError code ${error.code}`);
  }
}
