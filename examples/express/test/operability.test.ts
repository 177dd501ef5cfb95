import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { SpanStatusCode } from '@opentelemetry/api';
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
import { createMockToriiApi, createTestIssuer } from '@torii/testing';
import { expect, it, onTestFinished, vi } from 'vitest';
import { createApp } from '../src/app.js';

/** A loopback URL where nothing listens: a wrong issuer. */
async function closedUrl(): Promise<string> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

it('against a wrong issuer: one clear warning at startup, /health answers 503 with the reason', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  onTestFinished(() => warn.mockRestore());
  const wrong = await closedUrl();
  const { app, auth } = createApp({ issuer: wrong, secretKey: 'sk_test_example' });
  await auth.ready(); // resolves: the app still starts
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0]?.[0])).toMatch(
    /^torii: cannot fetch the issuer's key set from http:\/\/127\.0\.0\.1:\d+\/_torii\/\.well-known\/jwks\.json \(trigger: startup\): .*Check the issuer option/,
  );

  const server = app.listen(0, '127.0.0.1');
  onTestFinished(() => void server.close());
  await once(server, 'listening');
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/health`);
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({
    ok: false,
    torii: { ready: false, keys: { lastError: { message: expect.stringContaining(wrong) } } },
  });
});

it('reports to OpenTelemetry: a span per key set fetch and per REST call, counters', async () => {
  const issuer = await createTestIssuer();
  const api = await createMockToriiApi();
  onTestFinished(() => Promise.all([issuer.close(), api.close()]).then(() => undefined));
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  onTestFinished(() =>
    Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]).then(() => undefined),
  );

  const { app, auth } = createApp({
    issuer: issuer.issuer,
    secretKey: api.secretKey,
    apiUrl: api.url,
    telemetry: {
      tracer: tracerProvider.getTracer('torii'),
      meter: meterProvider.getMeter('torii'),
    },
  });
  await auth.ready();
  const server = app.listen(0, '127.0.0.1');
  onTestFinished(() => void server.close());
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = { authorization: `Bearer ${await issuer.sign({ role: 'admin' })}` };
  // The token is cached on its second verification: the third request is a cache hit.
  for (let i = 0; i < 3; i++) {
    expect((await fetch(`${base}/admin/users`, { headers: admin })).status).toBe(200);
  }
  expect((await fetch(`${base}/me`)).status).toBe(401);

  expect(spans.getFinishedSpans().map((s) => [s.name, s.status.code])).toEqual([
    ['torii.jwks.fetch', SpanStatusCode.OK],
    ['torii.users.list', SpanStatusCode.OK],
    ['torii.users.list', SpanStatusCode.OK],
    ['torii.users.list', SpanStatusCode.OK],
  ]);
  await reader.forceFlush();
  const metrics = exporter
    .getMetrics()
    .at(-1)
    ?.scopeMetrics.flatMap((s) => s.metrics)
    .map((m) => [m.descriptor.name, m.dataPoints.map((p) => [p.attributes, p.value])]);
  expect(Object.fromEntries(metrics ?? [])).toMatchObject({
    'torii.jwks.fetches': [[{ 'torii.trigger': 'startup', 'torii.outcome': 'ok' }, 1]],
    'torii.verifications': expect.arrayContaining([
      [{ 'torii.outcome': 'ok' }, 3],
      [{ 'torii.outcome': 'token_missing' }, 1],
    ]),
    'torii.token_cache.hits': [[{}, 1]],
    'torii.rest.attempts': [[{ 'torii.operation': 'users.list', 'torii.outcome': 'ok' }, 3]],
  });
});
