import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyString, expectWebhookOutcome, RUNS, structured } from '../../test/fuzz.js';
import { verifyWebhook } from './index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const KEY = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
const NOW_SEC = 1_767_225_600;
const now = () => NOW_SEC * 1000;

/** An independent signature (node:crypto) of id, timestamp and payload. */
function sign(id: string, timestamp: string, payload: Uint8Array | string): string {
  const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(payload)]);
  return createHmac('sha256', KEY).update(content).digest('base64');
}

const BASE64_PIECES = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='];
const SIGNATURE_PIECES = [
  'v1',
  'v1,',
  'v2,',
  ',',
  ' ',
  '  ',
  '\t',
  '=',
  '/',
  '+',
  ...BASE64_PIECES.slice(0, 16),
];
const TIMESTAMP_PIECES = [...'0123456789', ' ', '-', '+', '.', 'e', 'x'];

const headerText = (pieces: readonly string[]) => fc.oneof(structured(pieces, 120), anyString(120));
const maybeArray = (text: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 4, arbitrary: text },
    fc.array(text, { maxLength: 3 }),
    fc.constant(undefined),
  );
const payload = fc.oneof(
  fc.json({ maxDepth: 2 }),
  anyString(100),
  fc.uint8Array({ maxLength: 100 }),
);

/** Resolves to 'ok', or to the code of a documented ToriiWebhookError; fails on anything else. */
function verdict(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => 'ok',
    (error: unknown) => {
      expectWebhookOutcome(error);
      return (error as { code: string }).code;
    },
  );
}

describe('fuzzing the webhook header parser', () => {
  it('any webhook-id, -timestamp and -signature headers and payload: a documented outcome', async () => {
    await fc.assert(
      fc.asyncProperty(
        maybeArray(headerText(['msg_', 'a', '.', ' ', ','])),
        maybeArray(fc.oneof(headerText(TIMESTAMP_PIECES), fc.constant(String(NOW_SEC)))),
        maybeArray(headerText(SIGNATURE_PIECES)),
        payload,
        async (id, timestamp, signature, body) => {
          const headers = {
            'webhook-id': id,
            'webhook-timestamp': timestamp,
            'webhook-signature': signature,
          };
          const result = await verdict(verifyWebhook(body, headers, SECRET, { now }));
          expect(result).not.toBe('ok');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a real signature among any other entries: verified exactly when the payload is JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 20 }).filter((id) => id.trim() === id && id !== ''),
        payload,
        headerText(SIGNATURE_PIECES),
        headerText(SIGNATURE_PIECES),
        async (id, body, before, after) => {
          const stamp = String(NOW_SEC);
          const signature = `${before} v1,${sign(id, stamp, body)} ${after}`;
          const headers = {
            'webhook-id': id,
            'webhook-timestamp': stamp,
            'webhook-signature': signature,
          };
          const result = await verdict(verifyWebhook(body, headers, SECRET, { now }));
          let isJson = true;
          try {
            JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(body)));
          } catch {
            isJson = false;
          }
          expect(result).toBe(isJson ? 'ok' : 'payload_invalid');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('any secret: a documented outcome (secret_invalid for one that is not base64)', async () => {
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(NOW_SEC),
      'webhook-signature': 'v1,AAAA',
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(headerText(['whsec_', ...BASE64_PIECES, ' ', '-', '_']), anyString(80)),
        async (secret) => {
          expect(await verdict(verifyWebhook('{}', headers, secret, { now }))).not.toBe('ok');
        },
      ),
      { numRuns: RUNS },
    );
  });
});
