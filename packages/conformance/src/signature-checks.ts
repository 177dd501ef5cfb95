/**
 * Counts ES256 signature checks in this process: with the verified-token cache off
 * (`tokenCache: false`), one verification of a token is exactly one signature check, so the count
 * says how many times a request's token was verified.
 *
 * @module
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';

/** A running count of signature checks; `stop()` restores the originals. */
export interface SignatureCheckCounter {
  /** Signature checks since the counter started (or since the last `reset()`). */
  readonly count: number;
  /** Sets the count back to 0. */
  reset(): void;
  /** Restores `node:crypto.verify` and `crypto.subtle.verify`. Safe to call twice. */
  stop(): void;
}

const require = createRequire(import.meta.url);

/**
 * Wraps both signature backends of `@torii/core` — `node:crypto.verify` (the `node` entry; ESM
 * importers see the wrapper through `syncBuiltinESMExports`) and `crypto.subtle.verify` (the Web
 * Crypto entry) — and counts their calls until `stop()`.
 *
 * @example
 * ```ts
 * const checks = countSignatureChecks();
 * try { await get(app.url, '/checked', bearer(token)); expect(checks.count).toBe(1); }
 * finally { checks.stop(); }
 * ```
 */
export function countSignatureChecks(): SignatureCheckCounter {
  const nodeCrypto = require('node:crypto') as typeof import('node:crypto');
  const subtle = globalThis.crypto.subtle;
  const nodeVerify = nodeCrypto.verify;
  const subtleVerify = Object.getOwnPropertyDescriptor(subtle, 'verify');
  let count = 0;
  let stopped = false;

  nodeCrypto.verify = ((...args: Parameters<typeof nodeVerify>) => {
    count += 1;
    return (nodeVerify as (...a: unknown[]) => unknown)(...args);
  }) as typeof nodeVerify;
  syncBuiltinESMExports();
  const inherited = subtle.verify;
  Object.defineProperty(subtle, 'verify', {
    configurable: true,
    writable: true,
    value: (...args: Parameters<SubtleCrypto['verify']>) => {
      count += 1;
      return inherited.apply(subtle, args);
    },
  });

  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      nodeCrypto.verify = nodeVerify;
      syncBuiltinESMExports();
      if (subtleVerify) Object.defineProperty(subtle, 'verify', subtleVerify);
      else delete (subtle as { verify?: unknown }).verify;
    },
  };
}
