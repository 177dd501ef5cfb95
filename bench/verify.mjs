// Verifications per second of @torii/core (built dist) next to jose.jwtVerify and raw
// node:crypto.verify, all measured in this run on the same keys and tokens.
//
//   pnpm bench            (builds @torii/core first)
//   node bench/verify.mjs (uses the existing dist)
//
// Cases: (a) the same token verified again and again (torii's verified-token cache),
//        (b) a different token every time (every call checks an ECDSA signature).
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { createVerifier } from '@torii/core';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'https://acme.torii.so';
const UNIQUE_TOKENS = 4_000;
const WARMUP_MS = 200;
/** Each subject is measured in ROUNDS slices of SLICE_MS, interleaved, and the median is kept. */
const ROUNDS = 5;
const SLICE_MS = 400;

const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
const jwks = { keys: [jwk] };

async function mint(sub) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ pid: 'env_bench', email_verified: true })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
    .setIssuer(ISSUER)
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
}

const sameToken = await mint('user_same');
const uniqueTokens = await Promise.all(
  Array.from({ length: UNIQUE_TOKENS }, (_, i) => mint(`user_${i}`)),
);

// Subjects under test.
const torii = createVerifier({ issuer: ISSUER, jwks });
const toriiUncached = createVerifier({ issuer: ISSUER, jwks, tokenCache: false });
// A cache smaller than the cycle of distinct tokens: every call misses, then fills and evicts.
const toriiMissing = createVerifier({ issuer: ISSUER, jwks, tokenCache: { maxEntries: 1_000 } });
const joseKeys = createLocalJWKSet(jwks);
const joseOptions = { issuer: ISSUER, algorithms: ['ES256'] };
const keyObject = createPublicKey({ key: jwk, format: 'jwk' });

function splitForNode(token) {
  const dot = token.lastIndexOf('.');
  return {
    data: Buffer.from(token.slice(0, dot)),
    signature: Buffer.from(token.slice(dot + 1), 'base64url'),
  };
}
const nodeSame = splitForNode(sameToken);
const nodeUnique = uniqueTokens.map(splitForNode);

function nodeCheck({ data, signature }) {
  const ok = nodeVerify('sha256', data, { key: keyObject, dsaEncoding: 'ieee-p1363' }, signature);
  if (!ok) throw new Error('node:crypto.verify refused a valid token');
}

// Sanity: every subject accepts the tokens before anything is timed.
await torii.verify(sameToken);
await toriiUncached.verify(uniqueTokens[0]);
await jwtVerify(sameToken, joseKeys, joseOptions);
nodeCheck(nodeSame);

/** Runs `op(i)` back to back for `ms`; returns operations per second. */
async function measure(op, ms = SLICE_MS) {
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  for (; performance.now() < end; n++) await op(n);
  return n / ((performance.now() - start) / 1000);
}

/** Same as {@link measure} for a synchronous operation (no await in the loop). */
function measureSync(op, ms = SLICE_MS) {
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  for (; performance.now() < end; n++) op(n);
  return n / ((performance.now() - start) / 1000);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const pick = (list, i) => list[i % list.length];
const rows = [];
const started = performance.now();

const scenarios = [
  {
    name: '(a) same token',
    torii: (ms) => measure(() => torii.verify(sameToken), ms),
    jose: (ms) => measure(() => jwtVerify(sameToken, joseKeys, joseOptions), ms),
    node: (ms) => measureSync(() => nodeCheck(nodeSame), ms),
  },
  {
    name: '(b) unique tokens',
    torii: (ms) => measure((i) => toriiUncached.verify(pick(uniqueTokens, i)), ms),
    jose: (ms) => measure((i) => jwtVerify(pick(uniqueTokens, i), joseKeys, joseOptions), ms),
    node: (ms) => measureSync((i) => nodeCheck(pick(nodeUnique, i)), ms),
  },
  {
    name: '(b) unique, cache on',
    torii: (ms) => measure((i) => toriiMissing.verify(pick(uniqueTokens, i)), ms),
    jose: (ms) => measure((i) => jwtVerify(pick(uniqueTokens, i), joseKeys, joseOptions), ms),
    node: (ms) => measureSync((i) => nodeCheck(pick(nodeUnique, i)), ms),
  },
];

for (const s of scenarios) {
  // Warm every subject up, then interleave the slices so a load spike hits all three alike.
  await s.torii(WARMUP_MS);
  await s.jose(WARMUP_MS);
  s.node(WARMUP_MS);
  const samples = { torii: [], jose: [], node: [] };
  for (let round = 0; round < ROUNDS; round++) {
    samples.torii.push(await s.torii());
    samples.jose.push(await s.jose());
    samples.node.push(await s.node());
  }
  rows.push({
    scenario: s.name,
    toriiOps: median(samples.torii),
    joseOps: median(samples.jose),
    nodeOps: median(samples.node),
  });
}

const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(11);
const ratio = (a, b) => `${(a / b).toFixed(2)}x`.padStart(8);
console.log(
  `\n@torii/core verify vs jose jwtVerify vs node:crypto.verify — Node ${process.version}, ` +
    `median of ${ROUNDS} interleaved ${SLICE_MS} ms slices per subject\n`,
);
console.log(
  `${'scenario'.padEnd(18)} ${'torii ops/s'.padStart(11)} ${'jose ops/s'.padStart(11)} ${'node ops/s'.padStart(11)} ${'t/jose'.padStart(8)} ${'t/node'.padStart(8)}`,
);
for (const r of rows) {
  console.log(
    `${r.scenario.padEnd(18)} ${fmt(r.toriiOps)} ${fmt(r.joseOps)} ${fmt(r.nodeOps)} ${ratio(r.toriiOps, r.joseOps)} ${ratio(r.toriiOps, r.nodeOps)}`,
  );
}
console.log(
  '\n(a) torii serves repeats from its verified-token cache (default on); jose and node:crypto verify the signature every time.',
);
console.log(
  '(b) unique, cache on: a 1,000-entry cache cycling 4,000 tokens: every call misses, verifies, then fills and evicts.',
);
console.log(
  '(b) torii with tokenCache: false (every call parses and checks an ECDSA signature via Web Crypto); node:crypto is the signature alone, no parsing or claims.',
);
console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
