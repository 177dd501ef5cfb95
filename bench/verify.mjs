// Verifications per second of @torii/core (built dist) next to jose.jwtVerify and raw
// node:crypto.verify, all measured in this run on the same keys and tokens.
//
//   pnpm bench            (builds @torii/core first)
//   node bench/verify.mjs (uses the existing dist)
//
// Cases: (a) the same token verified again and again (torii's verified-token cache),
//        (b) a different token every time (every call checks an ECDSA signature),
//        and both again with torii's token cache full (10,000 entries, the default bound): a hit
//        among 10,000 cached tokens, and a miss that verifies (and, for some, is admitted and evicts).
//
// torii is measured twice:
// - node entry: `import '@torii/core'` as any Node app gets it (the `node` export condition,
//   dist/index.node.js): ES256 checked by node:crypto.verify, synchronously;
// - default entry: what Bun, Deno, Workers and browsers-bundles get (dist/index.cjs, Web Crypto's
//   async crypto.subtle.verify). Node always applies the `node` condition, so it is loaded by path,
//   and as CommonJS: the ESM default entry shares its chunk, and so its backend, with the ESM node
//   entry loaded above.

import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as toriiNodeEntry from '@torii/core';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

const require = createRequire(import.meta.url);
const NODE_ENTRY = fileURLToPath(import.meta.resolve('@torii/core'));
const DEFAULT_ENTRY = join(dirname(require.resolve('@torii/core')), 'index.cjs');
if (basename(NODE_ENTRY) !== 'index.node.js') {
  throw new Error(`@torii/core resolved to ${NODE_ENTRY}, not the node entry: rebuild it`);
}
const toriiDefaultEntry = require(DEFAULT_ENTRY);

const ISSUER = 'https://acme.torii.so';
const UNIQUE_TOKENS = 4_000;
/** The token cache's default bound; the "cache full" rows fill it first. */
const FULL_CACHE = 10_000;
/**
 * The full cache's tokens, then 50,000 others cycled through it by the miss row: more than a row
 * verifies, and a token that did come round would come after 50,000 others, well past the
 * admission window (16,384 first sightings), so every call of that row is a miss.
 */
const MISS_TOKENS = 50_000;
/** Minted beyond the full cache and the miss row, for a fill that meets colliding cache keys. */
const SPARE_TOKENS = 64;
const CYCLE_TOKENS = FULL_CACHE + SPARE_TOKENS + MISS_TOKENS;
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
const cycleTokens = await Promise.all(
  Array.from({ length: CYCLE_TOKENS }, (_, i) => mint(`user_${i}`)),
);
const uniqueTokens = cycleTokens.slice(0, UNIQUE_TOKENS);

// Subjects under test: the same three verifiers from each torii entry.
function toriiVerifiers({ createVerifier }) {
  return {
    cached: createVerifier({ issuer: ISSUER, jwks }),
    uncached: createVerifier({ issuer: ISSUER, jwks, tokenCache: false }),
    // A cache smaller than the cycle of distinct tokens: every call misses and verifies.
    missing: createVerifier({ issuer: ISSUER, jwks, tokenCache: { maxEntries: 1_000 } }),
    // Filled with FULL_CACHE distinct tokens below; used by the "cache full" rows.
    full: createVerifier({ issuer: ISSUER, jwks, tokenCache: { maxEntries: FULL_CACHE } }),
  };
}
const tn = toriiVerifiers(toriiNodeEntry);
const tw = toriiVerifiers(toriiDefaultEntry);
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
for (const t of [tn, tw]) {
  await t.cached.verify(sameToken);
  await t.uncached.verify(uniqueTokens[0]);
  await t.missing.verify(uniqueTokens[1]);
}
await jwtVerify(sameToken, joseKeys, joseOptions);
nodeCheck(nodeSame);

// Fill each "full" cache until it holds FULL_CACHE entries, from cycleTokens[0] on. A token
// enters the cache on its second verification: each is verified twice. Two tokens whose 30-bit
// cache keys collide share one slot (the later takes it); among 10,000 tokens that happens in
// about one run in twenty, so the fill may take a few spare tokens. The hit row then verifies one
// of the filled tokens again and again; the miss row goes on through the cycle after the last
// filled token with a cursor that survives slices (restarting at 0 would hit).
let filled = 0;
while (filled < FULL_CACHE + SPARE_TOKENS && tn.full.status().tokenCache.size < FULL_CACHE) {
  for (const t of [tn, tw]) {
    await t.full.verify(cycleTokens[filled]);
    await t.full.verify(cycleTokens[filled]);
  }
  filled++;
}
for (const t of [tn, tw]) {
  if (t.full.status().tokenCache.size !== FULL_CACHE) throw new Error('the full cache is not full');
}
const fullHitToken = cycleTokens[FULL_CACHE >> 1];
// A server reads each request's token out of a new header string: `slice` makes a new string per
// call as torii's bearer parsing does, so the cache pays for looking up a string it never saw
// (in the "same token" row V8 has the one string's hash at hand after the first call).
const fullHitHeader = `Bearer ${fullHitToken}`;
const freshFullHitToken = () => fullHitHeader.slice(7);
const missTokens = cycleTokens.slice(filled, filled + MISS_TOKENS);
function cycler(list) {
  let cursor = 0;
  return () => list[cursor++ % list.length];
}
const nextForNode = cycler(missTokens);
const nextForWeb = cycler(missTokens);
// jose and the raw check of the miss row read the same 50,000 tokens (the raw one split ahead, as
// in every row): a working set of that size costs memory traffic, and every column pays it.
const nextForJose = cycler(missTokens);
const nextForRaw = cycler(missTokens.map(splitForNode));

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
    toriiNode: (ms) => measure(() => tn.cached.verify(sameToken), ms),
    toriiWeb: (ms) => measure(() => tw.cached.verify(sameToken), ms),
    jose: (ms) => measure(() => jwtVerify(sameToken, joseKeys, joseOptions), ms),
    node: (ms) => measureSync(() => nodeCheck(nodeSame), ms),
  },
  {
    name: '(b) unique tokens',
    toriiNode: (ms) => measure((i) => tn.uncached.verify(pick(uniqueTokens, i)), ms),
    toriiWeb: (ms) => measure((i) => tw.uncached.verify(pick(uniqueTokens, i)), ms),
    jose: (ms) => measure((i) => jwtVerify(pick(uniqueTokens, i), joseKeys, joseOptions), ms),
    node: (ms) => measureSync((i) => nodeCheck(pick(nodeUnique, i)), ms),
  },
  {
    name: '(b) unique, cache on',
    toriiNode: (ms) => measure((i) => tn.missing.verify(pick(uniqueTokens, i)), ms),
    toriiWeb: (ms) => measure((i) => tw.missing.verify(pick(uniqueTokens, i)), ms),
    jose: (ms) => measure((i) => jwtVerify(pick(uniqueTokens, i), joseKeys, joseOptions), ms),
    node: (ms) => measureSync((i) => nodeCheck(pick(nodeUnique, i)), ms),
  },
  // The two "cache full" rows share the full verifiers: the hit row must run first.
  {
    name: '(a) same, cache full',
    toriiNode: (ms) => measure(() => tn.full.verify(freshFullHitToken()), ms),
    toriiWeb: (ms) => measure(() => tw.full.verify(freshFullHitToken()), ms),
    jose: (ms) => measure(() => jwtVerify(freshFullHitToken(), joseKeys, joseOptions), ms),
    node: (ms) => measureSync(() => nodeCheck(nodeSame), ms),
  },
  {
    name: '(b) unique, cache full',
    toriiNode: (ms) => measure(() => tn.full.verify(nextForNode()), ms),
    toriiWeb: (ms) => measure(() => tw.full.verify(nextForWeb()), ms),
    jose: (ms) => measure(() => jwtVerify(nextForJose(), joseKeys, joseOptions), ms),
    node: (ms) => measureSync(() => nodeCheck(nextForRaw()), ms),
  },
];

const SUBJECTS = ['toriiNode', 'toriiWeb', 'jose', 'node'];

for (const s of scenarios) {
  // Warm every subject up, then interleave the slices so a load spike hits all of them alike.
  for (const subject of SUBJECTS) await s[subject](WARMUP_MS);
  const samples = Object.fromEntries(SUBJECTS.map((subject) => [subject, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const subject of SUBJECTS) samples[subject].push(await s[subject]());
  }
  rows.push({
    scenario: s.name,
    ...Object.fromEntries(SUBJECTS.map((subject) => [subject, median(samples[subject])])),
  });
}

const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(12);
const ratio = (a, b) => `${(a / b).toFixed(2)}x`.padStart(9);
console.log(
  `\n@torii/core verify vs jose jwtVerify vs node:crypto.verify — Node ${process.version}, ` +
    `median of ${ROUNDS} interleaved ${SLICE_MS} ms slices per subject\n`,
);
console.log(
  `torii node    = @torii/core node entry (${basename(NODE_ENTRY)}, node:crypto.verify): what Node apps get\n` +
    `torii default = @torii/core default entry (${basename(DEFAULT_ENTRY)}, Web Crypto): Bun, Deno, Workers, browsers\n`,
);
console.log(
  [
    'scenario'.padEnd(22),
    'torii node'.padStart(12),
    'torii default'.padStart(12),
    'jose'.padStart(12),
    'node:crypto'.padStart(12),
    'node/def'.padStart(9),
    'node/jose'.padStart(9),
    'node/n:c'.padStart(9),
  ].join(' '),
);
console.log(
  `${' '.repeat(22)} ${'(ops/s)'.padStart(12)} ${'(ops/s)'.padStart(12)} ${'(ops/s)'.padStart(12)} ${'(ops/s)'.padStart(12)}`,
);
for (const r of rows) {
  console.log(
    [
      r.scenario.padEnd(22),
      fmt(r.toriiNode),
      fmt(r.toriiWeb),
      fmt(r.jose),
      fmt(r.node),
      ratio(r.toriiNode, r.toriiWeb),
      ratio(r.toriiNode, r.jose),
      ratio(r.toriiNode, r.node),
    ].join(' '),
  );
}
console.log(
  '\nnode/def, node/jose, node/n:c: torii node entry divided by torii default entry, jose, node:crypto.',
);
console.log(
  '(a) torii serves repeats from its verified-token cache (default on); jose and node:crypto verify the signature every time.',
);
console.log(
  '(b) unique, cache on: a 1,000-entry cache cycling 4,000 tokens: every call misses and verifies; a token comes round again after 4,000 others, when the admission filter (a token is cached on its second verification within about the last 1,024 first sightings) has mostly forgotten it.',
);
console.log(
  `(a) same, cache full: the cache first filled with ${FULL_CACHE.toLocaleString('en-US')} distinct tokens, then one of them verified again and again, each time as a new string sliced from a header, as a server reads it (a hit in a full cache; jose gets the same strings).`,
);
console.log(
  `(b) unique, cache full: a ${FULL_CACHE.toLocaleString('en-US')}-entry cache, already full, cycling ${MISS_TOKENS.toLocaleString('en-US')} other tokens: every call misses and verifies (a token would come round only after ${MISS_TOKENS.toLocaleString('en-US')} others, past the admission window of 16,384 first sightings), and the cache keeps its entries; jose and node:crypto read the same ${MISS_TOKENS.toLocaleString('en-US')} tokens.`,
);
console.log(
  '(b) torii with tokenCache: false: every call parses, checks claims and an ECDSA signature (node:crypto on the node entry, Web Crypto on the default one); node:crypto is the signature alone, no parsing or claims.',
);
console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
