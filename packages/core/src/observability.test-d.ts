import { type Meter, metrics, type Tracer, trace } from '@opentelemetry/api';
import pino from 'pino';
import { describe, expectTypeOf, it } from 'vitest';
import { ToriiClient } from './client/client.js';
import { createAuthGuard } from './http/auth-guard.js';
import { createVerifier } from './http/request-verifier.js';
import type {
  ToriiEvent,
  ToriiLogger,
  ToriiMeter,
  ToriiTracer,
  VerifierStatus,
} from './observability.js';

describe('the observability options take what applications already have', () => {
  it('takes pino, console and a plain object as the logger, or false', () => {
    expectTypeOf(pino()).toExtend<ToriiLogger>();
    expectTypeOf(console).toExtend<ToriiLogger>();
    createVerifier({ issuer: 'https://acme.torii.so', logger: pino({ level: 'debug' }) });
    createVerifier({ issuer: 'https://acme.torii.so', logger: console });
    createVerifier({ issuer: 'https://acme.torii.so', logger: false });
    new ToriiClient({ secretKey: 'sk_test_x', logger: pino() });
    // @ts-expect-error a logger needs debug, info, warn and error
    createVerifier({ issuer: 'https://acme.torii.so', logger: { warn: () => undefined } });
  });

  it("takes @opentelemetry/api's Tracer and Meter without importing them", () => {
    expectTypeOf<Tracer>().toExtend<ToriiTracer>();
    expectTypeOf<Meter>().toExtend<ToriiMeter>();
    createAuthGuard({
      issuer: 'https://acme.torii.so',
      telemetry: { tracer: trace.getTracer('torii'), meter: metrics.getMeter('torii') },
    });
    new ToriiClient({ secretKey: 'sk_test_x', telemetry: { tracer: trace.getTracer('torii') } });
  });

  it('narrows events on their type', () => {
    createVerifier({
      issuer: 'https://acme.torii.so',
      onEvent: (event: ToriiEvent) => {
        if (event.type === 'verification') expectTypeOf(event.cacheHit).toEqualTypeOf<boolean>();
        if (event.type === 'jwks_fetch') {
          expectTypeOf(event.trigger).toEqualTypeOf<'startup' | 'scheduled' | 'unknown_kid'>();
        }
        if (event.type === 'rest_attempt') expectTypeOf(event.attempt).toEqualTypeOf<number>();
      },
    });
  });

  it('returns the status from verifiers and guards', () => {
    const verifier = createVerifier({ issuer: 'https://acme.torii.so' });
    expectTypeOf(verifier.status()).toEqualTypeOf<VerifierStatus>();
    const guard = createAuthGuard({ issuer: 'https://acme.torii.so', startup: 'fail' });
    expectTypeOf(guard.ready()).toEqualTypeOf<Promise<VerifierStatus>>();
    // @ts-expect-error startup is 'warn' or 'fail'
    createAuthGuard({ issuer: 'https://acme.torii.so', startup: 'crash' });
  });

  it('takes the issuer and the secret key from the environment when omitted', () => {
    createVerifier();
    createAuthGuard();
    new ToriiClient();
  });
});
