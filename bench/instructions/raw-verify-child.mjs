// The floor of bench/instructions.mjs: one raw node:crypto.verify of an ES256 signature
// (ieee-p1363) with a KeyObject built once, over the benchmark's unique tokens, run under
// callgrind like the servers. On a 'verify' request it verifies `count` tokens; the parent counts
// the instructions around that request.

import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { serveParent } from '../adapters/child-process.mjs';

const tokens = JSON.parse(readFileSync(process.env.BENCH_TOKENS_FILE, 'utf8'));
const key = createPublicKey({ key: JSON.parse(process.env.BENCH_JWK), format: 'jwk' });
const signed = tokens.unique.map((token) => {
  const dot = token.lastIndexOf('.');
  return {
    data: Buffer.from(token.slice(0, dot)),
    signature: Buffer.from(token.slice(dot + 1), 'base64url'),
  };
});

let next = 0;
serveParent({
  verify({ count }) {
    for (let i = 0; i < count; i++) {
      const { data, signature } = signed[next++ % signed.length];
      if (!verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
        throw new Error('node:crypto.verify refused a valid token');
      }
    }
    return {};
  },
});
process.send({ type: 'ready' });
