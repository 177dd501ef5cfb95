import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../../test/fake-api-server.js';
import { ToriiApiError, ToriiError } from '../errors.js';
import { ToriiClient } from './index.js';
import { secretRedactor } from './redact-secret.js';

/** A key with characters that URL encoding changes (`+`, `/`, `=`, `!`, `(`, `)`, `~`, `*`). */
const SECRET = 'sk_test_Ab+9/Zz=q!(x)~*Kw';
const PLACEHOLDER = '[redacted secret key]';

/** The key URL-encoded with lower-case hex (`%2b`), as some proxies write it. */
const LOWER_HEX = encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());

/** Every form of the key an echo might carry. */
const FORMS = [
  SECRET,
  encodeURIComponent(SECRET),
  LOWER_HEX,
  new URLSearchParams({ k: SECRET }).toString().slice(2),
];

let api: FakeApiServer;
beforeEach(async () => {
  api = await startFakeApiServer(SECRET);
});
afterEach(async () => {
  await api.close();
});

function client(): ToriiClient {
  return new ToriiClient({ secretKey: SECRET, apiUrl: api.url, maxRetries: 0 });
}

/** Everything a logger could print of `error` and of every error in its `cause` chain. */
function everythingShown(error: unknown): string {
  const shown: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    const record = current as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(current)) {
      const value = record[name];
      shown.push(`${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
    shown.push(
      String(current),
      JSON.stringify(current),
      inspect(current, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    );
    current = record.cause;
  }
  return shown.join('\n');
}

function expectNoSecret(text: string): void {
  for (const form of FORMS) expect(text).not.toContain(form);
}

describe('the secret key echoed back by the API or a proxy', () => {
  it('is redacted from every field of the ToriiApiError, its JSON, its inspection and its causes', async () => {
    const encoded = encodeURIComponent(SECRET);
    api.inject({
      kind: 'status',
      status: 401,
      contentType: 'application/problem+json',
      headers: { 'x-request-id': `req-${SECRET}` },
      body: JSON.stringify({
        type: `https://torii.so/problems/bad-key?key=${encoded}`,
        title: `Unauthorized: ${SECRET}`,
        detail: `The key ${SECRET} is not valid.`,
        instance: `/api/server/v1/users?k=${LOWER_HEX}`,
        properties: { code: `bad_${SECRET}`, supportId: `sup_${SECRET}` },
        nested: {
          echoed: { authorization: `Bearer ${SECRET}` },
          list: [1, `url ${new URLSearchParams({ k: SECRET }).toString()}`, { [SECRET]: true }],
        },
      }),
    });
    const error = await client()
      .users.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToriiApiError);
    const apiError = error as ToriiApiError;
    expectNoSecret(everythingShown(apiError));

    // Redacted, not dropped: what surrounds the key is kept.
    expect(apiError.detail).toBe(`The key ${PLACEHOLDER} is not valid.`);
    expect(apiError.title).toBe(`Unauthorized: ${PLACEHOLDER}`);
    expect(apiError.requestId).toBe(`req-${PLACEHOLDER}`);
    expect(apiError.code).toBe(`bad_${PLACEHOLDER}`);
    expect(apiError.supportId).toBe(`sup_${PLACEHOLDER}`);
    expect(apiError.type).toBe(`https://torii.so/problems/bad-key?key=${PLACEHOLDER}`);
    expect(apiError.instance).toBe(`/api/server/v1/users?k=${PLACEHOLDER}`);
    expect(apiError.body).toMatchObject({
      nested: {
        echoed: { authorization: `Bearer ${PLACEHOLDER}` },
        list: [1, `url k=${PLACEHOLDER}`, { [PLACEHOLDER]: true }],
      },
    });
    expect(apiError.message).toContain(`The key ${PLACEHOLDER} is not valid.`);
    expect(JSON.parse(JSON.stringify(apiError))).toMatchObject({
      name: 'ToriiApiError',
      status: 401,
      message: apiError.message,
      detail: apiError.detail,
    });
  });

  it('is redacted from a JSON-escaped echo and from a plain-text (proxy) body', async () => {
    const escaped = [...SECRET].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    api.inject(
      {
        kind: 'status',
        status: 400,
        contentType: 'application/json',
        body: `{"error":{"message":"key ${escaped.join('')}","code":"x"}}`,
      },
      {
        kind: 'status',
        status: 502,
        contentType: 'text/html',
        body: `<h1>Bad gateway</h1><pre>Authorization: Bearer ${SECRET}</pre>`,
      },
    );
    const escapedEcho = await client()
      .users.list()
      .catch((e: unknown) => e);
    const htmlEcho = await client()
      .users.list()
      .catch((e: unknown) => e);
    expect((escapedEcho as ToriiApiError).detail).toBe(`key ${PLACEHOLDER}`);
    expect((htmlEcho as ToriiApiError).body).toBe(
      `<h1>Bad gateway</h1><pre>Authorization: Bearer ${PLACEHOLDER}</pre>`,
    );
    expectNoSecret(everythingShown(escapedEcho));
    expectNoSecret(everythingShown(htmlEcho));
  });

  it('is redacted from the cause of a 2xx answer whose body is not JSON', async () => {
    api.inject({
      kind: 'status',
      status: 200,
      contentType: 'application/json',
      body: SECRET.slice(8),
    });
    const error = await client()
      .users.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToriiError);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
    const shown = everythingShown(error);
    expectNoSecret(shown);
    // Not even the 10-character excerpt of the body that JSON.parse puts in its message.
    const secretPart = SECRET.slice('sk_test_'.length);
    for (let i = 0; i + 6 <= secretPart.length; i++) {
      expect(shown).not.toContain(secretPart.slice(i, i + 6));
    }
  });
});

describe('secretRedactor on hostile bodies', () => {
  const redact = secretRedactor(SECRET);

  it('walks a body nested 100,000 deep without overflowing the stack', () => {
    const depth = 100_000;
    const body = JSON.parse(`${'['.repeat(depth)}"${SECRET}"${']'.repeat(depth)}`) as unknown;
    let inner = redact.deep(body);
    for (let i = 0; i < depth; i++) inner = (inner as unknown[])[0];
    expect(inner).toBe(PLACEHOLDER);
  });

  it('keeps a __proto__ member a plain member, and leaves the parsed body untouched', () => {
    const body = JSON.parse(`{"__proto__":{"polluted":"${SECRET}"},"n":[null,true,1.5]}`) as object;
    const copy = redact.deep(body) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({
      polluted: PLACEHOLDER,
    });
    expect(copy.n).toEqual([null, true, 1.5]);
    expect(JSON.stringify(body)).toContain(SECRET);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
