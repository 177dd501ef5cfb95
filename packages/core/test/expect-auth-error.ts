/**
 * Asserting the exact `code` of a rejected verification.
 *
 * @module
 */
import { expect } from 'vitest';
import { ToriiAuthError, type ToriiAuthErrorCode } from '../src/errors.js';

/**
 * Awaits `promise`, expects it to reject with a {@link ToriiAuthError} of `code`, and checks that
 * the message does not contain `token` (when given). Returns the error for further checks.
 *
 * @example
 * ```ts
 * await expectAuthError(verifier.verify(token), 'signature_invalid', token);
 * ```
 */
export async function expectAuthError(
  promise: Promise<unknown>,
  code: ToriiAuthErrorCode,
  token?: string,
): Promise<ToriiAuthError> {
  const error = await promise.then(
    () => expect.unreachable(`expected a ToriiAuthError "${code}", but it resolved`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToriiAuthError);
  const authError = error as ToriiAuthError;
  expect({ code: authError.code, message: authError.message }).toMatchObject({ code });
  if (token !== undefined && token.length > 8) {
    expect(authError.message).not.toContain(token);
    // No fragment of the token either (a segment would leak claims or the signature).
    for (const segment of token.split('.')) {
      if (segment.length > 8) expect(authError.message).not.toContain(segment);
    }
  }
  return authError;
}
