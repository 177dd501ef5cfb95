// What one outbound request made at startup does to a Fastify server's CPU per request later, with
// and without torii, by where it is made: the same valid token on every request (torii answers from
// its token cache), one server per process, server CPU per request from process.cpuUsage().
//
//   npx -y pnpm@12.4.2 bench:startup-fetch          (builds the packages first; servers pinned)
//   node bench/startup-fetch.mjs [--rounds N] [--duration S] [--warmup S] [--pin]
//
// Variants, alternated in every round, each a new process (bench/startup-fetch/server.mjs):
//   bare                         the route alone
//   bare + late fetch            the route, after one GET of the key set just before it listens
//   torii jwks                   @torii/fastify given the key set (`jwks`): nothing fetched
//   torii jwks + early fetch     the same, after one GET made before Fastify and torii are set up
//   torii jwks + late fetch      the same, after one GET just before it listens (an onReady hook)
//   torii issuer                 @torii/fastify given the issuer: it fetches the key set just
//                                before the server listens, as in production
//   hook jwks + late fetch       no plugin: the guard's decision in an onRequest hook added to the
//                                app directly, after one GET just before it listens
// The load (autocannon, 20 connections) runs in bench/adapters/load-child.mjs.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { JWKS_PATH } from '@torii/core';
import { createTestIssuer } from '@torii/testing';
import { startChild } from './adapters/child-process.mjs';
import { median } from './adapters/stats.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    duration: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '2' },
    pin: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
if (![rounds, duration, warmup].every((n) => Number.isFinite(n) && n > 0)) {
  console.error(
    'usage: node bench/startup-fetch.mjs [--rounds N] [--duration S] [--warmup S] [--pin]',
  );
  process.exit(2);
}

const HERE = fileURLToPath(new URL('./adapters/', import.meta.url));
const SERVER = fileURLToPath(new URL('./startup-fetch/server.mjs', import.meta.url));
const PATH = '/me';
const VARIANTS = [
  'bare',
  'bare + late fetch',
  'torii jwks',
  'torii jwks + early fetch',
  'torii jwks + late fetch',
  'torii issuer',
  'hook jwks + late fetch',
];

const issuer = await createTestIssuer();
const jwks = issuer.jwks();
const token = await issuer.sign({ sub: 'user_same' }, { expiresIn: '2h' });
const workDir = mkdtempSync(join(tmpdir(), 'torii-startup-fetch-'));
const tokensFile = join(workDir, 'tokens.json');
writeFileSync(tokensFile, JSON.stringify({ same: token }));

const load = startChild(join(HERE, 'load-child.mjs'), {
  env: { BENCH_TOKENS_FILE: tokensFile },
  cpu: values.pin ? '1' : undefined,
  label: 'load generator',
});

/** One process of one variant: started, warmed up, measured, stopped. @returns CPU µs a request */
async function measure(name, round) {
  const server = startChild(SERVER, {
    env: {
      BENCH_SERVER: JSON.stringify({
        variant: name,
        issuer: issuer.issuer,
        jwksUrl: `${issuer.issuer}${JWKS_PATH}`,
        jwks,
        path: PATH,
      }),
    },
    cpu: values.pin ? '0' : undefined,
    label: `server ${name}`,
  });
  try {
    const { port } = await server.once('listening');
    const url = `http://127.0.0.1:${port}`;
    const run = (seconds) =>
      load.request('run', {
        url,
        path: PATH,
        scenario: 'same',
        serverKey: `${name}:${round}`,
        seed: 1,
        connections: 20,
        duration: seconds,
      });
    await run(warmup);
    const before = (await server.request('cpu')).usage;
    const result = await run(duration);
    const after = (await server.request('cpu')).usage;
    if (result.status2xx !== result.requests) {
      throw new Error(`${name}: ${result.requests - result.status2xx} responses were not 2xx`);
    }
    const cpuUs = after.user + after.system - (before.user + before.system);
    return cpuUs / result.requests;
  } finally {
    await server.stop();
  }
}

const samples = new Map(VARIANTS.map((name) => [name, []]));
try {
  await load.once('ready');
  for (let round = 1; round <= rounds; round++) {
    for (const name of VARIANTS) samples.get(name).push(await measure(name, round));
    console.error(
      `round ${round}/${rounds}: ${VARIANTS.map((name) => `${name} ${samples.get(name).at(-1).toFixed(1)}`).join(', ')} µs/req`,
    );
  }
} finally {
  await load.stop();
  await issuer.close();
  rmSync(workDir, { recursive: true, force: true });
}

console.log(
  `Fastify, same token, server CPU µs a request — Node ${process.version}, ${rounds} round(s), ${warmup} s warm-up + ${duration} s measured per process${values.pin ? ', pinned (server CPU 0, load CPU 1)' : ''}`,
);
for (const name of VARIANTS) {
  const list = samples.get(name);
  console.log(
    `${name.padEnd(26)} median ${median(list).toFixed(1).padStart(6)}   rounds: ${list.map((us) => us.toFixed(1)).join(' ')}`,
  );
}

/** Median over rounds of (a's µs − b's µs) of the same round. */
const pairedDelta = (a, b) =>
  median(samples.get(a).map((us, i) => us - (samples.get(b)[i] ?? Number.NaN)));
console.log('\npaired by round (median of the differences), µs a request:');
for (const [a, b] of [
  ['bare + late fetch', 'bare'],
  ['torii jwks', 'bare'],
  ['torii jwks + early fetch', 'torii jwks'],
  ['torii jwks + late fetch', 'torii jwks'],
  ['torii issuer', 'torii jwks'],
  ['hook jwks + late fetch', 'torii jwks + late fetch'],
]) {
  const delta = pairedDelta(a, b);
  console.log(`  ${a} − ${b}: ${delta >= 0 ? '+' : ''}${delta.toFixed(1)}`);
}
