import { getEventListeners } from 'node:events';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../test/fake-api-server.js';
import { ToriiApiError, ToriiError } from '../errors.js';
import { ToriiClient, type ToriiClientOptions, type ToriiRetryEvent } from './index.js';

let api: FakeApiServer;
let retries: ToriiRetryEvent[];

function client(options: Partial<ToriiClientOptions> = {}): ToriiClient {
  return new ToriiClient({
    secretKey: api.secretKey,
    apiUrl: api.url,
    retryBaseMs: 5,
    onRetry: (event) => retries.push(event),
    ...options,
  });
}

const unavailable = {
  kind: 'status',
  status: 503,
  contentType: 'text/plain',
  body: 'busy',
} as const;

beforeEach(async () => {
  api = await startFakeApiServer();
  retries = [];
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await api.close();
});

describe('retries on 5xx', () => {
  it('retries a sequence of 503s, then succeeds', async () => {
    const user = api.seedUser();
    api.inject(unavailable, unavailable);
    await expect(client().users.get(user.id)).resolves.toEqual(user);
    expect(api.requests).toHaveLength(3);
    expect(retries.map((r) => [r.operation, r.attempt, r.reason, r.status])).toEqual([
      ['users.get', 1, 'status', 503],
      ['users.get', 2, 'status', 503],
    ]);
  });

  it.each([502, 504])('retries %i', async (status) => {
    const user = api.seedUser();
    api.inject({ kind: 'status', status });
    await expect(client().users.ban(user.id)).resolves.toMatchObject({ status: 'banned' });
    expect(api.requests).toHaveLength(2);
  });

  it('gives up after maxRetries (default 2) with the last ToriiApiError', async () => {
    api.inject(unavailable, unavailable, unavailable, unavailable);
    const error = (await client()
      .users.list()
      .catch((e: unknown) => e)) as ToriiApiError;
    expect(error).toBeInstanceOf(ToriiApiError);
    expect(error.status).toBe(503);
    expect(error.body).toBe('busy');
    expect(api.requests).toHaveLength(3);
  });

  it('honours maxRetries per client and per call', async () => {
    api.inject(unavailable, unavailable, unavailable);
    await expect(client({ maxRetries: 0 }).users.get('u1')).rejects.toMatchObject({ status: 503 });
    expect(api.requests).toHaveLength(1);
    await expect(client().users.get('u1', { maxRetries: 1 })).rejects.toMatchObject({
      status: 503,
    });
    expect(api.requests).toHaveLength(3);
  });

  it('refuses invalid per-call timeoutMs or maxRetries before any request', async () => {
    await expect(client().users.get('u1', { timeoutMs: 0 })).rejects.toThrow(/timeoutMs must be/);
    await expect(client().users.get('u1', { maxRetries: -1 })).rejects.toThrow(
      /maxRetries must be/,
    );
    expect(api.requests).toHaveLength(0);
  });

  it('does not retry 500 or 4xx', async () => {
    api.inject({ kind: 'status', status: 500 });
    await expect(client().users.get('u1')).rejects.toMatchObject({ status: 500 });
    await expect(client().users.get('missing')).rejects.toMatchObject({ status: 404 });
    expect(api.requests).toHaveLength(2);
    expect(retries).toEqual([]);
  });

  it('waits a full-jitter exponential backoff: random * min(cap, base * 2^n)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    api.inject(unavailable, unavailable, unavailable);
    const torii = client({ retryBaseMs: 10, retryMaxDelayMs: 30, maxRetries: 3 });
    await torii.users.get(api.seedUser().id);
    expect(retries.map((r) => r.delayMs)).toEqual([5, 10, 15]);
  });

  it('every safe operation is retried: get, list, update, delete, ban, unban and the sessions calls', async () => {
    const user = api.seedUser();
    const session = api.seedSession(user.id);
    const torii = client();
    const calls: (() => Promise<unknown>)[] = [
      () => torii.users.get(user.id),
      () => torii.users.list(),
      () => torii.users.update(user.id, { name: 'x' }),
      () => torii.users.ban(user.id),
      () => torii.users.unban(user.id),
      () => torii.sessions.listForUser(user.id),
      () => torii.sessions.revoke(user.id, session.id),
      () => torii.sessions.revokeAllForUser(user.id),
      () => torii.users.delete(user.id),
    ];
    for (const call of calls) {
      api.inject(unavailable);
      await call();
    }
    expect(api.requests).toHaveLength(calls.length * 2);
    expect(retries).toHaveLength(calls.length);
  });
});

describe('429 and Retry-After', () => {
  async function expectWait(
    retryAfter: (now: number) => string,
    expectedMs: number,
  ): Promise<void> {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
    const user = api.seedUser();
    api.inject({ kind: 'status', status: 429, headers: { 'retry-after': retryAfter(Date.now()) } });
    let announced!: (event: ToriiRetryEvent) => void;
    const retried = new Promise<ToriiRetryEvent>((resolve) => {
      announced = resolve;
    });
    const call = client({ onRetry: (event) => announced(event) }).users.get(user.id);
    const event = await retried;
    expect(event).toMatchObject({ reason: 'status', status: 429, delayMs: expectedMs });
    await vi.advanceTimersByTimeAsync(expectedMs - 1);
    expect(api.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(call).resolves.toEqual(user);
    expect(api.requests).toHaveLength(2);
  }

  it('waits Retry-After given in seconds', async () => {
    await expectWait(() => '3', 3000);
  });

  it('waits until a Retry-After HTTP date', async () => {
    await expectWait((now) => new Date(now + 7000).toUTCString(), 7000);
  });

  it('falls back to backoff when Retry-After is unreadable', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    api.inject({ kind: 'status', status: 429, headers: { 'retry-after': 'soon-ish' } });
    await client({ retryBaseMs: 8 }).users.get(api.seedUser().id);
    expect(retries.map((r) => r.delayMs)).toEqual([4]);
  });

  it('throws at once when Retry-After exceeds maxRetryAfterMs', async () => {
    api.inject({
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '3600', 'content-type': 'application/problem+json' },
      body: JSON.stringify({
        title: 'Too Many Requests',
        status: 429,
        detail: 'Slow down.',
        code: 'rate_limited',
      }),
    });
    const started = Date.now();
    const error = (await client({ maxRetryAfterMs: 10_000 })
      .users.list()
      .catch((e: unknown) => e)) as ToriiApiError;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', detail: 'Slow down.' });
    expect(error.message).toMatch(/Rate limited/);
    expect(api.requests).toHaveLength(1);
  });
});

describe('network faults', () => {
  it('retries a connection reset', async () => {
    const user = api.seedUser();
    api.inject({ kind: 'reset' });
    await expect(client().users.get(user.id)).resolves.toEqual(user);
    expect(api.requests).toHaveLength(2);
    expect(retries[0]?.reason).toBe('network');
  });

  it('throws a ToriiError with cause after resets exhaust the retries', async () => {
    api.inject({ kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' });
    const error = (await client()
      .users.get('u1')
      .catch((e: unknown) => e)) as ToriiError;
    expect(error).toBeInstanceOf(ToriiError);
    expect(error).not.toBeInstanceOf(ToriiApiError);
    expect(error.message).toMatch(/could not reach the torii server API/);
    expect(error.cause).toBeInstanceOf(Error);
    expect(api.requests).toHaveLength(3);
  });

  it('times out a server that never answers, then retries', async () => {
    const user = api.seedUser();
    api.inject({ kind: 'hang' });
    await expect(client({ timeoutMs: 1000 }).users.get(user.id)).resolves.toEqual(user);
    expect(api.requests).toHaveLength(2);
    expect(retries[0]?.reason).toBe('timeout');
  });

  it('a timeout on every attempt ends in a ToriiError with cause; per-call timeoutMs wins', async () => {
    api.inject({ kind: 'hang' }, { kind: 'hang' });
    const torii = client({ timeoutMs: 60_000, maxRetries: 1 });
    const started = Date.now();
    const error = (await torii.users
      .get('u1', { timeoutMs: 500 })
      .catch((e: unknown) => e)) as ToriiError;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(ToriiError);
    expect(error.message).toMatch(/timed out after 500 ms on attempt 2/);
    expect(error.cause).toBeInstanceOf(Error);
    expect(api.requests).toHaveLength(2);
  });

  it('a connection refused is retried even for create (the request never left)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    let attempts = 0;
    const torii = new ToriiClient({
      secretKey: api.secretKey,
      apiUrl: `http://127.0.0.1:${port}`,
      retryBaseMs: 1,
      fetch: (input, init) => {
        attempts++;
        return fetch(input, init);
      },
    });
    const error = (await torii.users
      .create({ email: 'a@b.c' })
      .catch((e: unknown) => e)) as ToriiError;
    expect(error).toBeInstanceOf(ToriiError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(attempts).toBe(3);
  });
});

describe('create is never retried once it may have reached the server', () => {
  it('exactly one attempt on 503', async () => {
    api.inject(unavailable);
    await expect(client().users.create({ email: 'ada@example.com' })).rejects.toMatchObject({
      status: 503,
    });
    expect(api.requests).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it.each([
    ['429', { kind: 'status', status: 429, headers: { 'retry-after': '0' } }],
    ['a connection reset', { kind: 'reset' }],
    ['a reset after the user was created', { kind: 'reset-after-handling' }],
  ] as const)('exactly one attempt on %s', async (_, fault) => {
    api.inject(fault);
    await expect(client().users.create({ email: 'ada@example.com' })).rejects.toBeInstanceOf(
      ToriiError,
    );
    expect(api.requests).toHaveLength(1);
  });

  it('exactly one attempt on a timeout', async () => {
    api.inject({ kind: 'hang' });
    await expect(client({ timeoutMs: 1000 }).users.create({})).rejects.toThrow(/timed out/);
    expect(api.requests).toHaveLength(1);
  });
});

describe('delete whose first attempt may have landed', () => {
  it('resolves when the user was deleted but the answer was lost (reset), and the retry gets 403', async () => {
    const user = api.seedUser();
    api.inject({ kind: 'reset-after-handling' });
    await expect(client().users.delete(user.id)).resolves.toBeUndefined();
    expect(api.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
    expect(api.users.get(user.id)?.status).toBe('deleted');
  });

  it('resolves on 503 then 403', async () => {
    api.inject(unavailable, { kind: 'status', status: 403 });
    await expect(client().users.delete('u1')).resolves.toBeUndefined();
  });

  it('still throws 403 after a 429 (a 429 proves nothing landed)', async () => {
    api.inject(
      { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
      { kind: 'status', status: 403 },
    );
    await expect(client().users.delete('u1')).rejects.toMatchObject({ status: 403 });
    expect(api.requests).toHaveLength(2);
  });

  it('other operations never turn 403 into success', async () => {
    api.inject(unavailable, { kind: 'status', status: 403 });
    await expect(client().sessions.revokeAllForUser('u1')).rejects.toMatchObject({ status: 403 });
  });
});

describe('abort by signal', () => {
  it('aborts at once while waiting between retries', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    api.inject(unavailable);
    const controller = new AbortController();
    const torii = client({ retryBaseMs: 60_000, onRetry: () => controller.abort() });
    const started = Date.now();
    const error = await torii.users
      .get('u1', { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe('AbortError');
    expect(api.requests).toHaveLength(1);
  });

  it('aborts at once while a request is in flight, without retrying', async () => {
    api.inject({ kind: 'hang' });
    const controller = new AbortController();
    const call = client({ timeoutMs: 60_000 }).users.list({}, { signal: controller.signal });
    await api.waitForRequests(1);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(api.requests).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  /** Collects the process warnings emitted while `run` runs (and the ticks right after it). */
  async function warningsDuring(run: () => Promise<unknown>): Promise<Error[]> {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      await run();
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('warning', onWarning);
    }
    return warnings;
  }

  it('100 concurrent calls sharing one signal, each retried once: no warning, no listener left', async () => {
    const controller = new AbortController();
    const { signal } = controller;
    // The first 100 attempts are held until all 100 are in flight, then answered 503; every
    // call then sleeps before its retry, which the fake API answers.
    let held = 0;
    let releaseAll: () => void = () => undefined;
    const allHeld = new Promise<void>((resolve) => {
      releaseAll = resolve;
    });
    const gated: typeof fetch = async (input, init) => {
      if (held < 100) {
        held++;
        if (held === 100) releaseAll();
        await allHeld;
        return new Response('busy', { status: 503 });
      }
      return fetch(input, init);
    };
    const torii = client({ fetch: gated, retryBaseMs: 20 });
    const warnings = await warningsDuring(async () => {
      const results = await Promise.all(
        Array.from({ length: 100 }, () => torii.users.list({}, { signal })),
      );
      expect(results).toHaveLength(100);
    });
    expect(retries).toHaveLength(100);
    expect(api.requests).toHaveLength(100);
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('aborting the shared signal stops all 100 calls in flight at once, and leaves no listener', async () => {
    const controller = new AbortController();
    const { signal } = controller;
    api.inject(...Array.from({ length: 100 }, () => ({ kind: 'hang' }) as const));
    const torii = client({ timeoutMs: 60_000 });
    const warnings = await warningsDuring(async () => {
      const calls = Array.from({ length: 100 }, () =>
        torii.users.list({}, { signal }).catch((e: unknown) => e),
      );
      await api.waitForRequests(100);
      const reason = new Error('shutting down');
      controller.abort(reason);
      expect(await Promise.all(calls)).toEqual(Array(100).fill(reason));
    });
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(retries).toEqual([]);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const signal = AbortSignal.abort();
    await expect(client().users.get('u1', { signal })).rejects.toBe(signal.reason);
    expect(api.requests).toHaveLength(0);
  });
});

describe('bodies the client cannot use', () => {
  it('malformed JSON on a 200 is a ToriiError with cause, not retried', async () => {
    api.inject({
      kind: 'status',
      status: 200,
      contentType: 'application/json',
      body: '{"id": "u1",',
    });
    const error = (await client()
      .users.get('u1')
      .catch((e: unknown) => e)) as ToriiError;
    expect(error).toBeInstanceOf(ToriiError);
    expect(error).not.toBeInstanceOf(ToriiApiError);
    expect(error.message).toMatch(/not valid JSON.*request id req_1/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(api.requests).toHaveLength(1);
  });

  it('a 200 whose JSON is not the documented shape is a ToriiError', async () => {
    api.inject({
      kind: 'status',
      status: 200,
      contentType: 'application/json',
      body: '{"users":[]}',
    });
    await expect(client().users.list()).rejects.toThrow(/not a page of users/);
    api.inject({ kind: 'status', status: 200, contentType: 'application/json', body: '[]' });
    await expect(client().users.get('u1')).rejects.toThrow(/not a user/);
  });

  it('a problem+json error body fills every field', async () => {
    api.inject({
      kind: 'status',
      status: 400,
      headers: { 'x-request-id': 'req_abc' },
      contentType: 'application/problem+json',
      body: JSON.stringify({
        type: 'https://torii.so/problems/invalid-body',
        title: 'Bad Request',
        status: 400,
        detail: 'Password is too weak',
        instance: '/api/server/v1/users',
        properties: { code: 'password_too_weak', supportId: 'sup_123' },
      }),
    });
    const error = (await client()
      .users.create({ password: 'x' })
      .catch((e: unknown) => e)) as ToriiApiError;
    expect(error).toMatchObject({
      name: 'ToriiApiError',
      status: 400,
      title: 'Bad Request',
      detail: 'Password is too weak',
      type: 'https://torii.so/problems/invalid-body',
      instance: '/api/server/v1/users',
      code: 'password_too_weak',
      supportId: 'sup_123',
      requestId: 'req_abc',
    });
    expect(error.body).toMatchObject({ properties: { code: 'password_too_weak' } });
    expect(error.message).toBe(
      'torii: users.create (POST /api/server/v1/users) failed with 400 Bad Request. Password is too weak. Code: password_too_weak. Check the fields you sent. Support id: sup_123.',
    );
  });

  it('a text/html error body (a proxy page) is kept as text and left out of the message', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    api.inject(
      { kind: 'status', status: 502, contentType: 'text/html', body: html },
      { kind: 'status', status: 502, contentType: 'text/html', body: html },
      { kind: 'status', status: 502, contentType: 'text/html', body: html },
    );
    const error = (await client()
      .users.get('u1')
      .catch((e: unknown) => e)) as ToriiApiError;
    expect(error).toBeInstanceOf(ToriiApiError);
    expect(error).toMatchObject({
      status: 502,
      title: 'Bad Gateway',
      detail: undefined,
      code: undefined,
      body: html,
    });
    expect(error.message).not.toContain('<html>');
    expect(error.requestId).toBe('req_3');
  });

  it('a 3xx is not followed and says what to fix', async () => {
    api.inject({
      kind: 'status',
      status: 301,
      headers: { location: 'https://elsewhere.example/' },
    });
    const error = (await client()
      .users.get('u1')
      .catch((e: unknown) => e)) as ToriiApiError;
    expect(error.status).toBe(301);
    expect(error.message).toMatch(/set apiUrl to the final URL/);
    expect(api.requests).toHaveLength(1);
  });
});

describe('the secret key never leaks', () => {
  it('is absent from every error, its cause and their inspection', async () => {
    api.inject({ kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' });
    const network = await client()
      .users.get('u1')
      .catch((e: unknown) => e);
    api.inject({ kind: 'hang' });
    const timeout = await client({ timeoutMs: 1000, maxRetries: 0 })
      .users.get('u1')
      .catch((e: unknown) => e);
    const notFound = await client()
      .users.get('missing')
      .catch((e: unknown) => e);
    expect((network as Error).message).toMatch(/could not reach/);
    expect((timeout as Error).message).toMatch(/timed out/);
    expect(notFound).toBeInstanceOf(ToriiApiError);
    for (const error of [network, timeout, notFound]) {
      const text = `${String(error)} ${(error as Error).stack} ${JSON.stringify(error)} ${inspect(error, { depth: 10, showHidden: true })}`;
      expect(text).not.toContain(api.secretKey);
    }
  });

  it('is scrubbed from a message even when a server echoes it', async () => {
    api.inject({
      kind: 'status',
      status: 400,
      contentType: 'application/problem+json',
      body: JSON.stringify({ title: 'Bad Request', detail: `bad key ${api.secretKey}` }),
    });
    const error = (await client()
      .users.list()
      .catch((e: unknown) => e)) as ToriiApiError;
    expect(error.message).toContain('bad key [redacted secret key]');
    expect(error.message).not.toContain(api.secretKey);
  });
});
