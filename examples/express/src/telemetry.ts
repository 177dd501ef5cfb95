/**
 * OpenTelemetry for the example: torii takes a tracer and a meter from `@opentelemetry/api`
 * (`trace.getTracer`, `metrics.getMeter`); what becomes of its spans and counters is the SDK's
 * business. With `OTEL_CONSOLE=1` this registers a tracer provider and a meter provider that print
 * to the console; without it the API's no-op providers answer and nothing is recorded. A real
 * app registers its exporters (OTLP, Prometheus) the same way, or with `@opentelemetry/sdk-node`.
 *
 * @module
 */
import { metrics, trace } from '@opentelemetry/api';
import {
  ConsoleMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ToriiTelemetry } from '@torii/core';

/**
 * Registers console exporters as the global providers (spans as they end, counters every 10 s).
 *
 * @example
 * ```ts
 * if (process.env.OTEL_CONSOLE === '1') exportToConsole();
 * ```
 */
export function exportToConsole(): void {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
    }),
  );
  metrics.setGlobalMeterProvider(
    new MeterProvider({
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new ConsoleMetricExporter(),
          exportIntervalMillis: 10_000,
        }),
      ],
    }),
  );
}

/** torii's tracer and meter, from the global providers (no-ops until an SDK registers some). */
export function toriiTelemetry(): ToriiTelemetry {
  return { tracer: trace.getTracer('torii'), meter: metrics.getMeter('torii') };
}
