import { metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../test/fake-api-server.js';
import { type JwksServer, startJwksServer } from '../../test/jwks-server.js';
import { createSigner, type TestSigner } from '../../test/signer.js';
import { ToriiClient } from '../client/client.js';
import { createVerifier } from '../http/request-verifier.js';
import type { ToriiEvent, ToriiTelemetry } from '../observability.js';

// Events and OpenTelemetry, with the real OpenTelemetry SDK and its in-memory exporters: a span
// per key set fetch and per REST call, counters of verifications by outcome, token cache hits,
// key set fetches by trigger and REST attempts.

let jwks: JwksServer;
let signer: TestSigner;
let spans: InMemorySpanExporter;
let tracerProvider: BasicTracerProvider;
let metricExporter: InMemoryMetricExporter;
let reader: PeriodicExportingMetricReader;
let meterProvider: MeterProvider;
let telemetry: ToriiTelemetry;

beforeEach(async () => {
  vi.stubEnv('TORII_DEBUG', '');
  jwks = await startJwksServer();
  signer = await createSigner(jwks.issuer, 'k1');
  jwks.setKeys(signer.jwk);
  spans = new InMemorySpanExporter();
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  meterProvider = new MeterProvider({ readers: [reader] });
  telemetry = {
    tracer: tracerProvider.getTracer('torii-test'),
    meter: meterProvider.getMeter('torii-test'),
  };
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await jwks.close();
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
});

/** Every data point of the counter `name`: its attributes and value. */
async function points(name: string): Promise<{ attributes: object; value: number }[]> {
  metricExporter.reset();
  await reader.forceFlush();
  const exported = metricExporter.getMetrics();
  const latest = exported[exported.length - 1];
  const metric = latest?.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((p) => ({
    attributes: p.attributes,
    value: p.value as number,
  }));
}

describe('verification with OpenTelemetry', () => {
  it('counts verifications by outcome and token cache hits, and spans each key set fetch', async () => {
    const verifier = createVerifier({ issuer: jwks.issuer, telemetry });
    const token = await signer.sign();
    // Cached on its second verification: the third and fourth are hits.
    await verifier.verify(token);
    await verifier.verify(token);
    await verifier.verify(token);
    await verifier.verify(token);
    await expect(verifier.verify(await signer.sign({ exp: 1, iat: 0 }))).rejects.toThrow();
    await expect(verifier.verify('a.b.c')).rejects.toThrow();

    expect(await points('torii.verifications')).toEqual(
      expect.arrayContaining([
        { attributes: { 'torii.outcome': 'ok' }, value: 4 },
        { attributes: { 'torii.outcome': 'token_expired' }, value: 1 },
        { attributes: { 'torii.outcome': 'token_malformed' }, value: 1 },
      ]),
    );
    expect(await points('torii.token_cache.hits')).toEqual([{ attributes: {}, value: 2 }]);
    expect(await points('torii.jwks.fetches')).toEqual([
      { attributes: { 'torii.trigger': 'startup', 'torii.outcome': 'ok' }, value: 1 },
    ]);

    const [fetchSpan, ...others] = spans.getFinishedSpans();
    expect(others).toEqual([]);
    expect(fetchSpan?.name).toBe('torii.jwks.fetch');
    expect(fetchSpan?.kind).toBe(SpanKind.CLIENT);
    expect(fetchSpan?.status.code).toBe(SpanStatusCode.OK);
    expect(fetchSpan?.attributes).toEqual({
      'url.full': `${jwks.issuer}/_torii/.well-known/jwks.json`,
      'torii.trigger': 'startup',
      'torii.jwks.keys': 1,
    });
  });

  it('marks a failed fetch as an error span and counts fetches by trigger', async () => {
    const verifier = createVerifier({
      issuer: jwks.issuer,
      telemetry,
      logger: false,
      jwksCache: { cooldownMs: 0 },
    });
    await verifier.warmup();
    jwks.mode = '500';
    await expect(verifier.verify(await signer.sign({}, { kid: 'other' }))).rejects.toThrow();

    expect(await points('torii.jwks.fetches')).toEqual(
      expect.arrayContaining([
        { attributes: { 'torii.trigger': 'startup', 'torii.outcome': 'ok' }, value: 1 },
        { attributes: { 'torii.trigger': 'unknown_kid', 'torii.outcome': 'error' }, value: 1 },
      ]),
    );
    const failed = spans.getFinishedSpans()[1];
    expect(failed?.attributes['torii.trigger']).toBe('unknown_kid');
    expect(failed?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'the JWKS endpoint answered HTTP 500 instead of 200',
    });
  });

  it('accepts the global API (no SDK registered: a no-op tracer and meter) without effect', async () => {
    const verifier = createVerifier({
      issuer: jwks.issuer,
      telemetry: { tracer: trace.getTracer('torii'), meter: metrics.getMeter('torii') },
    });
    await expect(verifier.verify(await signer.sign())).resolves.toMatchObject({
      userId: 'user_abc',
    });
  });
});

describe('events', () => {
  it('reports every verification (with its cache hit) and every key set fetch', async () => {
    const events: ToriiEvent[] = [];
    const verifier = createVerifier({ issuer: jwks.issuer, onEvent: (e) => events.push(e) });
    const token = await signer.sign();
    await verifier.verify(token);
    await verifier.verify(token); // cached now
    await verifier.authenticate(new Headers({ authorization: `Bearer ${token}` }));
    await expect(verifier.verify('')).rejects.toThrow();
    // A request whose token cannot even be read is a verification outcome too.
    await expect(verifier.authenticate(new Headers())).rejects.toThrow();
    await expect(
      verifier.authenticate([
        ['authorization', 'Bearer a'],
        ['authorization', 'Bearer b'],
      ]),
    ).rejects.toThrow();

    expect(events).toEqual([
      {
        type: 'jwks_fetch',
        url: `${jwks.issuer}/_torii/.well-known/jwks.json`,
        trigger: 'startup',
        outcome: 'ok',
        keyCount: 1,
        durationMs: expect.any(Number),
      },
      { type: 'verification', issuer: jwks.issuer, outcome: 'ok', cacheHit: false },
      { type: 'verification', issuer: jwks.issuer, outcome: 'ok', cacheHit: false },
      { type: 'verification', issuer: jwks.issuer, outcome: 'ok', cacheHit: true },
      { type: 'verification', issuer: jwks.issuer, outcome: 'token_missing', cacheHit: false },
      { type: 'verification', issuer: jwks.issuer, outcome: 'token_missing', cacheHit: false },
      { type: 'verification', issuer: jwks.issuer, outcome: 'token_malformed', cacheHit: false },
    ]);
  });

  it('reports a failed fetch with its reason', async () => {
    const events: ToriiEvent[] = [];
    jwks.mode = 'html';
    const verifier = createVerifier({
      issuer: jwks.issuer,
      logger: false,
      onEvent: (e) => events.push(e),
    });
    await expect(verifier.warmup()).rejects.toThrow();
    expect(events).toEqual([
      expect.objectContaining({
        type: 'jwks_fetch',
        outcome: 'error',
        keyCount: 0,
        error: 'the JWKS response is not a JSON object with a "keys" array',
      }),
    ]);
  });

  it('survives a listener that throws: logged once, verification unchanged', async () => {
    const error = vi.fn();
    const verifier = createVerifier({
      issuer: jwks.issuer,
      logger: { debug() {}, info() {}, warn() {}, error },
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    const token = await signer.sign();
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'user_abc' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'user_abc' });
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0]?.[0])).toMatch(
      /onEvent listener threw on a "jwks_fetch" event \(Error: listener bug\)/,
    );
  });
});

describe('the REST client with OpenTelemetry and events', () => {
  let api: FakeApiServer;
  beforeEach(async () => {
    api = await startFakeApiServer();
  });
  afterEach(async () => {
    await api.close();
  });

  it('spans each call, counts each attempt, reports each attempt and logs each retry', async () => {
    const user = api.seedUser({ email: 'ada@example.com' });
    const events: ToriiEvent[] = [];
    const debug = vi.fn();
    const torii = new ToriiClient({
      secretKey: api.secretKey,
      apiUrl: api.url,
      retryBaseMs: 1,
      telemetry,
      onEvent: (e) => events.push(e),
      logger: { debug, info() {}, warn() {}, error() {} },
      debug: true,
    });
    api.inject({ kind: 'status', status: 503 });
    await expect(torii.users.get(user.id)).resolves.toMatchObject({ id: user.id });
    api.inject({ kind: 'status', status: 404 });
    await expect(torii.users.get('missing')).rejects.toThrow();

    expect(events).toEqual([
      expect.objectContaining({
        type: 'rest_attempt',
        operation: 'users.get',
        method: 'GET',
        attempt: 1,
        outcome: 'error',
        status: 503,
        reason: 'status',
        willRetry: true,
      }),
      expect.objectContaining({ attempt: 2, outcome: 'ok', status: 200, willRetry: false }),
      expect.objectContaining({ attempt: 1, outcome: 'error', status: 404, willRetry: false }),
    ]);
    expect(debug).toHaveBeenCalledTimes(1);
    expect(String(debug.mock.calls[0]?.[0])).toMatch(
      /^torii: users\.get \(GET \/api\/server\/v1\/users\/.+\) attempt 1 failed \(HTTP 503\); retrying in \d+ ms \(retry 1 of 2\)\.$/,
    );
    expect(String(debug.mock.calls[0]?.[0])).not.toContain(api.secretKey);

    const [ok, notFound] = spans.getFinishedSpans();
    expect(ok?.name).toBe('torii.users.get');
    expect(ok?.kind).toBe(SpanKind.CLIENT);
    expect(ok?.attributes).toMatchObject({
      'torii.operation': 'users.get',
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
    });
    expect(ok?.events.map((e) => e.name)).toEqual(['torii.retry']);
    expect(notFound?.status.code).toBe(SpanStatusCode.ERROR);
    expect(notFound?.attributes['http.response.status_code']).toBe(404);
    expect(
      JSON.stringify([notFound?.attributes, notFound?.status, notFound?.events]),
    ).not.toContain(api.secretKey);

    expect(await points('torii.rest.attempts')).toEqual(
      expect.arrayContaining([
        { attributes: { 'torii.operation': 'users.get', 'torii.outcome': 'error' }, value: 2 },
        { attributes: { 'torii.operation': 'users.get', 'torii.outcome': 'ok' }, value: 1 },
      ]),
    );
  });
});
