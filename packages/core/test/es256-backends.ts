/**
 * The two ES256 backends, for running the same signature tests through both: Web Crypto (the
 * default entry) and `node:crypto` (the `node` entry).
 *
 * @module
 */
import { afterEach, beforeEach } from 'vitest';
import { type Es256Backend, setEs256Backend, verifyEs256WebCrypto } from '../src/jwt/es256.js';
import { verifyEs256Node } from '../src/jwt/es256.node.js';

/** `[name, backend]` rows for `describe.each`. */
export const ES256_BACKENDS: ReadonlyArray<readonly [string, Es256Backend]> = [
  ['Web Crypto (default entry)', verifyEs256WebCrypto],
  ['node:crypto (node entry)', verifyEs256Node],
];

/**
 * Installs `backend` before each test of the enclosing `describe` and puts the previous one back
 * after it.
 *
 * @example
 * ```ts
 * describe.each(ES256_BACKENDS)('%s', (_, backend) => {
 *   useEs256Backend(backend);
 *   it('…', async () => { … });
 * });
 * ```
 */
export function useEs256Backend(backend: Es256Backend): void {
  let previous: Es256Backend | undefined;
  beforeEach(() => {
    previous = setEs256Backend(backend);
  });
  afterEach(() => {
    if (previous !== undefined) setEs256Backend(previous);
  });
}
