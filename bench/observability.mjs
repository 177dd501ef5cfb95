// What torii's observability costs per verification (built dist, Node entry), measured in this run:
//
//   pnpm bench:observability      (builds @torii/core first)
//   node bench/observability.mjs  (uses the existing dist)
//
// Subjects, each a verifier of the same static key set:
// - default: no logger, onEvent or telemetry given: nothing listens. The verifier picks its
//   unobserved path when it is built, so this is what every app pays by default;
// - logger false: the same with logging off (must equal default: logging is per outage, not per
//   request);
// - onEvent: a listener that counts events (one object per verification);
// - otel no-op: telemetry from @opentelemetry/api with no SDK registered (the API's no-op meter);
// - otel sdk: telemetry with the real OpenTelemetry metrics SDK (a MeterProvider and a reader).
//
// Scenarios: (a) the same token again and again (a token cache hit), (b) a different token every
// time (an ECDSA check each). Median of interleaved slices; the ratio column is subject / default.
// Nothing here is asserted: it is a measurement, not a test.

import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { createVerifier } from '@torii/core';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const ISSUER = 'https://acme.torii.so';
const UNIQUE_TOKENS = 2_000;
const WARMUP_MS = 200;
const ROUNDS = 5;
const SLICE_MS = 300;

const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
const jwks = { keys: [jwk] };

async function mint(sub) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ pid: 'env_bench' })
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

const meterProvider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 3_600_000,
    }),
  ],
});
let events = 0;
const SUBJECTS = {
  default: {},
  'logger false': { logger: false },
  onEvent: { onEvent: () => events++ },
  'otel no-op': { telemetry: { meter: metrics.getMeter('torii') } },
  'otel sdk': { telemetry: { meter: meterProvider.getMeter('torii') } },
};
const names = Object.keys(SUBJECTS);
const verifiers = (tokenCache) =>
  Object.fromEntries(
    names.map((name) => [
      name,
      createVerifier({ issuer: ISSUER, jwks, tokenCache, logger: false, ...SUBJECTS[name] }),
    ]),
  );
const cached = verifiers(undefined);
const uncached = verifiers(false);
for (const name of names) {
  await cached[name].verify(sameToken);
  await uncached[name].verify(uniqueTokens[0]);
}

async function measure(op, ms = SLICE_MS) {
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  for (; performance.now() < end; n++) await op(n);
  return n / ((performance.now() - start) / 1000);
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const scenarios = [
  { name: '(a) same token', run: (v) => (ms) => measure(() => v.verify(sameToken), ms) },
  {
    name: '(b) unique tokens',
    run: (v) => (ms) => measure((i) => v.verify(uniqueTokens[i % UNIQUE_TOKENS]), ms),
    set: uncached,
  },
];

console.log(
  `\n@torii/core observability cost — Node ${process.version}, median of ${ROUNDS} interleaved ${SLICE_MS} ms slices (ops/s; ratio to default)\n`,
);
console.log(['scenario'.padEnd(18), ...names.map((n) => n.padStart(20))].join(' '));
for (const scenario of scenarios) {
  const set = scenario.set ?? cached;
  const subjects = names.map((name) => scenario.run(set[name]));
  for (const subject of subjects) await subject(WARMUP_MS);
  const samples = names.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, subject] of subjects.entries()) samples[i].push(await subject());
  }
  const medians = samples.map(median);
  const base = medians[0];
  console.log(
    [
      scenario.name.padEnd(18),
      ...medians.map((m) =>
        `${Math.round(m).toLocaleString('en-US')} (${(m / base).toFixed(2)}x)`.padStart(20),
      ),
    ].join(' '),
  );
}
console.log(`\n(${events.toLocaleString('en-US')} events delivered to the onEvent listener)`);
await meterProvider.shutdown();
