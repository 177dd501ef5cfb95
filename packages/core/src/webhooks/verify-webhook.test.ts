import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ToriiConfigError, ToriiWebhookError, type ToriiWebhookErrorCode } from '../errors.js';
import { signWebhook, verifyWebhook } from './index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const KEY = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
const NOW_SEC = 1_767_225_600; // 2026-01-01T00:00:00Z
const now = () => NOW_SEC * 1000 + 250;
const PAYLOAD = '{"type":"user.created","data":{"id":"user_abc","name":"Zoë"}}';

/** An independent signer (node:crypto), so verifyWebhook is not only checked against itself. */
function sign(
  id: string,
  timestamp: number | string,
  payload: string | Buffer,
  key: Buffer = KEY,
): string {
  const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(payload)]);
  return `v1,${createHmac('sha256', key).update(content).digest('base64')}`;
}

function headers(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = {
    'webhook-id': 'msg_2Lw3',
    'webhook-timestamp': String(NOW_SEC),
    'webhook-signature': sign('msg_2Lw3', NOW_SEC, PAYLOAD),
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

async function code(promise: Promise<unknown>): Promise<ToriiWebhookErrorCode> {
  const error = await promise.then(
    () => {
      throw new Error('expected verifyWebhook to reject');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToriiWebhookError);
  expect((error as Error).message).not.toContain(SECRET.slice(6));
  return (error as ToriiWebhookError).code;
}

describe('verifyWebhook', () => {
  it('returns the parsed event of a valid webhook', async () => {
    await expect(verifyWebhook(PAYLOAD, headers(), SECRET, { now })).resolves.toEqual({
      type: 'user.created',
      data: { id: 'user_abc', name: 'Zoë' },
    });
  });

  it('verifies the exact bytes of a Uint8Array payload', async () => {
    const bytes = new TextEncoder().encode(PAYLOAD);
    await expect(verifyWebhook(bytes, headers(), SECRET, { now })).resolves.toMatchObject({
      type: 'user.created',
    });
    await expect(
      verifyWebhook(Buffer.from(PAYLOAD), headers(), SECRET, { now }),
    ).resolves.toStrictEqual(JSON.parse(PAYLOAD));
  });

  it('accepts a bare base64 secret without the whsec_ prefix', async () => {
    await expect(
      verifyWebhook(PAYLOAD, headers(), SECRET.slice(6), { now }),
    ).resolves.toStrictEqual(JSON.parse(PAYLOAD));
  });

  it('rejects a tampered payload: signature_invalid', async () => {
    const tampered = PAYLOAD.replace('user_abc', 'user_xyz');
    expect(await code(verifyWebhook(tampered, headers(), SECRET, { now }))).toBe(
      'signature_invalid',
    );
    const reserialised = JSON.stringify(JSON.parse(PAYLOAD), null, 1);
    expect(await code(verifyWebhook(reserialised, headers(), SECRET, { now }))).toBe(
      'signature_invalid',
    );
  });

  it('rejects tampered id or timestamp headers: signature_invalid', async () => {
    expect(
      await code(verifyWebhook(PAYLOAD, headers({ 'webhook-id': 'msg_other' }), SECRET, { now })),
    ).toBe('signature_invalid');
    const ts = String(NOW_SEC + 1);
    expect(
      await code(verifyWebhook(PAYLOAD, headers({ 'webhook-timestamp': ts }), SECRET, { now })),
    ).toBe('signature_invalid');
  });

  it('rejects a wrong secret: signature_invalid', async () => {
    const other = `whsec_${Buffer.from('another secret of 24 by').toString('base64')}`;
    expect(await code(verifyWebhook(PAYLOAD, headers(), other, { now }))).toBe('signature_invalid');
  });

  it('rejects a signature of the right length but wrong bytes, and a truncated one', async () => {
    const good = headers()['webhook-signature'] ?? '';
    const flipped = `v1,${good.slice(3, 10)}${good[10] === 'A' ? 'B' : 'A'}${good.slice(11)}`;
    expect(
      await code(
        verifyWebhook(PAYLOAD, headers({ 'webhook-signature': flipped }), SECRET, { now }),
      ),
    ).toBe('signature_invalid');
    const truncated = good.slice(0, -4);
    expect(
      await code(
        verifyWebhook(PAYLOAD, headers({ 'webhook-signature': truncated }), SECRET, { now }),
      ),
    ).toBe('signature_invalid');
  });

  it('accepts several signatures when one is valid (key rotation), in any position', async () => {
    const valid = sign('msg_2Lw3', NOW_SEC, PAYLOAD);
    const wrong = sign('msg_2Lw3', NOW_SEC, PAYLOAD, Buffer.from('old key'));
    for (const value of [
      `${wrong} ${valid}`,
      `${valid} ${wrong}`,
      `v1a,abcdef ${wrong} ${valid}`,
    ]) {
      await expect(
        verifyWebhook(PAYLOAD, headers({ 'webhook-signature': value }), SECRET, { now }),
      ).resolves.toStrictEqual(JSON.parse(PAYLOAD));
    }
  });

  it('rejects several signatures when none is valid, and a valid MAC under another version', async () => {
    const wrong = sign('msg_2Lw3', NOW_SEC, PAYLOAD, Buffer.from('old key'));
    const valid = sign('msg_2Lw3', NOW_SEC, PAYLOAD);
    const header = `${wrong} ${wrong} ${valid.replace('v1,', 'v2,')}`;
    expect(
      await code(verifyWebhook(PAYLOAD, headers({ 'webhook-signature': header }), SECRET, { now })),
    ).toBe('signature_invalid');
  });

  it('rejects a timestamp too old, and accepts one exactly at the tolerance', async () => {
    const old = NOW_SEC - 301;
    const tooOld = headers({
      'webhook-timestamp': String(old),
      'webhook-signature': sign('msg_2Lw3', old, PAYLOAD),
    });
    expect(await code(verifyWebhook(PAYLOAD, tooOld, SECRET, { now }))).toBe('timestamp_too_old');
    const edge = NOW_SEC - 300;
    const atEdge = headers({
      'webhook-timestamp': String(edge),
      'webhook-signature': sign('msg_2Lw3', edge, PAYLOAD),
    });
    await expect(verifyWebhook(PAYLOAD, atEdge, SECRET, { now })).resolves.toStrictEqual(
      JSON.parse(PAYLOAD),
    );
  });

  it('rejects a timestamp too new', async () => {
    const future = NOW_SEC + 301;
    const tooNew = headers({
      'webhook-timestamp': String(future),
      'webhook-signature': sign('msg_2Lw3', future, PAYLOAD),
    });
    expect(await code(verifyWebhook(PAYLOAD, tooNew, SECRET, { now }))).toBe('timestamp_too_new');
  });

  it('honours toleranceSec and defaults now to Date.now', async () => {
    const sent = NOW_SEC - 30;
    const h = headers({
      'webhook-timestamp': String(sent),
      'webhook-signature': sign('msg_2Lw3', sent, PAYLOAD),
    });
    expect(await code(verifyWebhook(PAYLOAD, h, SECRET, { now, toleranceSec: 10 }))).toBe(
      'timestamp_too_old',
    );
    expect(await code(verifyWebhook(PAYLOAD, headers(), SECRET))).toBe('timestamp_too_old');
    await expect(
      verifyWebhook(PAYLOAD, headers(), SECRET, { toleranceSec: -1 }),
    ).rejects.toBeInstanceOf(ToriiConfigError);
  });

  it.each(['abc', '1767225600.5', '-1767225600', '', ' 1 2 '])(
    'rejects the timestamp %j',
    async (timestamp) => {
      const expected = timestamp.trim() === '' ? 'headers_missing' : 'timestamp_invalid';
      expect(
        await code(
          verifyWebhook(PAYLOAD, headers({ 'webhook-timestamp': timestamp }), SECRET, { now }),
        ),
      ).toBe(expected);
    },
  );

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'rejects a missing %s: headers_missing',
    async (name) => {
      expect(
        await code(verifyWebhook(PAYLOAD, headers({ [name]: undefined }), SECRET, { now })),
      ).toBe('headers_missing');
    },
  );

  it('rejects when no headers are given at all', async () => {
    expect(await code(verifyWebhook(PAYLOAD, {}, SECRET, { now }))).toBe('headers_missing');
    expect(await code(verifyWebhook(PAYLOAD, new Headers(), SECRET, { now }))).toBe(
      'headers_missing',
    );
  });

  it('rejects a header given twice (Node string[]) instead of picking one', async () => {
    const h: Record<string, string | string[]> = headers();
    h['webhook-timestamp'] = [String(NOW_SEC), String(NOW_SEC)];
    expect(await code(verifyWebhook(PAYLOAD, h, SECRET, { now }))).toBe('timestamp_invalid');
    const ids: Record<string, string | string[]> = headers();
    ids['webhook-id'] = ['msg_2Lw3', 'msg_evil'];
    expect(await code(verifyWebhook(PAYLOAD, ids, SECRET, { now }))).toBe('signature_invalid');
  });

  it.each([
    ['an empty string', ''],
    ['whsec_ alone', 'whsec_'],
    ['not base64', 'whsec_not base64!'],
  ])('rejects %s as secret: secret_invalid', async (_, secret) => {
    expect(await code(verifyWebhook(PAYLOAD, headers(), secret, { now }))).toBe('secret_invalid');
  });

  it('rejects a parsed object as payload with a hint: payload_invalid', async () => {
    const parsed = JSON.parse(PAYLOAD) as unknown as string;
    const error = await verifyWebhook(parsed, headers(), SECRET, { now }).catch((e: unknown) => e);
    expect((error as ToriiWebhookError).code).toBe('payload_invalid');
    expect((error as Error).message).toMatch(/raw request body/);
  });

  it('rejects a correctly signed payload that is not JSON: payload_invalid', async () => {
    const text = 'not json';
    const h = headers({ 'webhook-signature': sign('msg_2Lw3', NOW_SEC, text) });
    expect(await code(verifyWebhook(text, h, SECRET, { now }))).toBe('payload_invalid');
    const bytes = Buffer.from([0xff, 0xfe]);
    const hb = headers({ 'webhook-signature': sign('msg_2Lw3', NOW_SEC, bytes) });
    expect(await code(verifyWebhook(bytes, hb, SECRET, { now }))).toBe('payload_invalid');
  });

  it('checks the signature before parsing: a forged non-JSON body is signature_invalid', async () => {
    expect(await code(verifyWebhook('garbage', headers(), SECRET, { now }))).toBe(
      'signature_invalid',
    );
  });
});

describe('header sources', () => {
  const h = headers();
  const sources: [string, unknown][] = [
    ['a plain object', h],
    [
      'a plain object with other key case',
      Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v])),
    ],
    ['Node string[] values', Object.fromEntries(Object.entries(h).map(([k, v]) => [k, [v]]))],
    ['a Headers', new Headers(h)],
    ['a Request', new Request('http://127.0.0.1/hook', { method: 'POST', headers: h })],
    ['an object with headers (IncomingMessage-like)', { headers: h }],
    ['a Map', new Map(Object.entries(h))],
    ['an array of pairs', Object.entries(h)],
  ];
  it.each(sources)('reads %s', async (_, source) => {
    await expect(verifyWebhook(PAYLOAD, source as Headers, SECRET, { now })).resolves.toMatchObject(
      { type: 'user.created' },
    );
  });
});

describe('signWebhook', () => {
  it('produces headers that verifyWebhook and an independent HMAC agree on', async () => {
    const signed = await signWebhook(PAYLOAD, SECRET, { id: 'msg_1', timestamp: NOW_SEC });
    expect(signed).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(NOW_SEC),
      'webhook-signature': sign('msg_1', NOW_SEC, PAYLOAD),
    });
    await expect(verifyWebhook(PAYLOAD, signed, SECRET, { now })).resolves.toStrictEqual(
      JSON.parse(PAYLOAD),
    );
  });

  it('defaults to a fresh msg_ id and the current time', async () => {
    const before = Math.floor(Date.now() / 1000);
    const signed = await signWebhook(new TextEncoder().encode(PAYLOAD), SECRET);
    expect(signed['webhook-id']).toMatch(/^msg_[0-9a-f-]{36}$/);
    expect(Number(signed['webhook-timestamp'])).toBeGreaterThanOrEqual(before);
    await expect(verifyWebhook(PAYLOAD, signed, SECRET)).resolves.toStrictEqual(
      JSON.parse(PAYLOAD),
    );
  });

  it('rejects an invalid secret', async () => {
    await expect(signWebhook(PAYLOAD, 'whsec_%%%')).rejects.toMatchObject({
      code: 'secret_invalid',
    });
  });
});
