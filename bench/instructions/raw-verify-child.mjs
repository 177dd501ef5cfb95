// The floor of bench/instructions.mjs: one raw node:crypto.verify of an ES256 signature
// (ieee-p1363) with a KeyObject built once, over the benchmark's unique tokens, run under
// callgrind like the servers. On a 'verify' request it verifies `count` tokens; the parent counts
// the instructions around that request.

import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { serveParent } from '../adapters/child-process.mjs';
import { checkSignature, signedParts } from '../adapters/raw-signature.mjs';

const tokens = JSON.parse(readFileSync(process.env.BENCH_TOKENS_FILE, 'utf8'));
const key = createPublicKey({ key: JSON.parse(process.env.BENCH_JWK), format: 'jwk' });
const signed = tokens.unique.map(signedParts);

let next = 0;
serveParent({
  verify({ count }) {
    for (let i = 0; i < count; i++) checkSignature(key, signed[next++ % signed.length]);
    return {};
  },
});
process.send({ type: 'ready' });
