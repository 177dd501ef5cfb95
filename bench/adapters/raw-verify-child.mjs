// The floor: one raw node:crypto.verify of an ES256 signature (dsaEncoding ieee-p1363) with a
// KeyObject built once, over the benchmark's own unique tokens. Run in a child on the servers'
// CPU, once per repetition, so it sees the same machine as the servers in that repetition.
// Reports CPU µs per verify (what the server columns are compared with) and wall µs.

import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkSignature, signedParts } from './raw-signature.mjs';

const SLICES = 5;
const SLICE_MS = Number(process.env.BENCH_RAW_SLICE_MS ?? 200);

const tokens = JSON.parse(readFileSync(process.env.BENCH_TOKENS_FILE, 'utf8'));
const jwk = JSON.parse(process.env.BENCH_JWK);
const key = createPublicKey({ key: jwk, format: 'jwk' });
const signed = tokens.unique.slice(0, 2_000).map(signedParts);

const check = (parts) => checkSignature(key, parts);

function slice(ms) {
  let n = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) check(signed[n++ % signed.length]);
  const wallUs = (performance.now() - start) * 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuUs: (cpu.user + cpu.system) / n, wallUs: wallUs / n };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

slice(SLICE_MS); // warm-up
const samples = Array.from({ length: SLICES }, () => slice(SLICE_MS));
process.send(
  {
    type: 'raw-verify',
    cpuUs: median(samples.map((s) => s.cpuUs)),
    wallUs: median(samples.map((s) => s.wallUs)),
  },
  () => process.exit(0),
);
