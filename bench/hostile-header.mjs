// What one hostile Authorization header costs next to an ordinary 401, through
// createAuthGuard(options).decide() of the built @torii/core, as an adapter calls it.
//
//   pnpm bench:header               (builds @torii/core first)
//   node bench/hostile-header.mjs   (uses the existing dist)
//
// Cases, each answered 401:
// - no Authorization header (the ordinary 401: token_missing);
// - "Bearer x", 64 KiB of spaces, "y": the header that made a backtracking trim quadratic;
// - the same with tabs.
// Not a test and no pass/fail: it prints the cost per request and its ratio to the ordinary 401,
// so a parser that stops being linear shows up as a ratio in the thousands.

import { createAuthGuard } from '@torii/core';
import { exportJWK, generateKeyPair } from 'jose';

const ISSUER = 'https://acme.torii.so';
const PAD = 64 * 1024;
/** Each case runs until MIN_MS have passed and at least MIN_RUNS requests were answered. */
const MIN_MS = 500;
const MIN_RUNS = 3;

const { publicKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
const guard = createAuthGuard({ issuer: ISSUER, jwks: { keys: [jwk] } });

const cases = [
  ['ordinary 401 (no Authorization header)', {}],
  ['"Bearer x" + 64 KiB of spaces + "y"', { authorization: `Bearer x${' '.repeat(PAD)}y` }],
  ['"Bearer x" + 64 KiB of tabs + "y"', { authorization: `Bearer x${'\t'.repeat(PAD)}y` }],
];

async function measure(headers) {
  let runs = 0;
  let status;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (runs < MIN_RUNS || elapsedMs < MIN_MS) {
    const decision = await guard.decide({ headers });
    status = decision.ok ? '200' : `${decision.status} ${decision.error?.code ?? ''}`.trim();
    runs++;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { perRequestUs: (elapsedMs * 1000) / runs, runs, status };
}

// Warm up the JIT on the ordinary path (the hostile ones run long enough by themselves).
for (let i = 0; i < 1_000; i++) await guard.decide({ headers: {} });

const results = [];
for (const [name, headers] of cases) results.push({ name, ...(await measure(headers)) });
const base = results[0].perRequestUs;

console.log(`@torii/core createAuthGuard().decide() on Node ${process.version}`);
console.log(
  'case'.padEnd(44),
  'answer'.padEnd(20),
  'per request'.padStart(14),
  'runs'.padStart(8),
  'x ordinary'.padStart(12),
);
for (const r of results) {
  const cost =
    r.perRequestUs >= 1000
      ? `${(r.perRequestUs / 1000).toFixed(1)} ms`
      : `${r.perRequestUs.toFixed(2)} µs`;
  console.log(
    r.name.padEnd(44),
    String(r.status).padEnd(20),
    cost.padStart(14),
    String(r.runs).padStart(8),
    `${(r.perRequestUs / base).toFixed(1)}x`.padStart(12),
  );
}
