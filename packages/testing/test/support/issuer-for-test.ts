/**
 * A test issuer that lives as long as the test that started it.
 *
 * @module
 */
import { onTestFinished } from 'vitest';
import { createTestIssuer, type TestIssuer, type TestIssuerOptions } from '../../src/index.js';

/**
 * `createTestIssuer(options)`, closed when the running test ends (passed or failed). Call it
 * inside a test.
 *
 * @example
 * ```ts
 * it('verifies', async () => {
 *   const issuer = await issuerForTest({ keys: 2 });
 * });
 * ```
 */
export async function issuerForTest(options?: TestIssuerOptions): Promise<TestIssuer> {
  const issuer = await createTestIssuer(options);
  onTestFinished(() => issuer.close());
  return issuer;
}
