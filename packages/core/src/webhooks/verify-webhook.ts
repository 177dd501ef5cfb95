/**
 * Verifying torii webhooks (Standard Webhooks scheme).
 *
 * @module
 */
import { ToriiWebhookError } from '../errors.js';
import type { RequestLike } from '../request-like.js';
import { checkNumber } from '../shared/option-checks.js';
import { readHeader } from '../shared/read-header.js';
import { computeSignature, timingSafeEqual } from './hmac.js';
import { decodeWebhookSecret } from './secret.js';

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /**
   * How far `webhook-timestamp` may be from now, in the past or the future, in seconds. Replays
   * older than this are refused.
   * @default 300
   */
  toleranceSec?: number;
  /** The current time in ms since the epoch, like `Date.now` (for tests). @default Date.now */
  now?: () => number;
}

/** The raw body of a webhook request: the exact bytes (or their UTF-8 text) torii sent. */
export type WebhookPayload = string | Uint8Array;

const encoder = new TextEncoder();

function fail(code: ToriiWebhookError['code'], message: string, cause?: unknown): never {
  throw new ToriiWebhookError(
    code,
    `torii: ${message}`,
    cause === undefined ? undefined : { cause },
  );
}

function payloadBytes(payload: unknown): Uint8Array {
  if (typeof payload === 'string') return encoder.encode(payload);
  if (payload instanceof Uint8Array) return payload;
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  return fail(
    'payload_invalid',
    `webhook payload must be the raw request body as a string or bytes (got ${payload === null ? 'null' : typeof payload}). Read the body unparsed, e.g. express.raw({ type: 'application/json' }) or await request.text().`,
  );
}

function singleHeader(headers: RequestLike, name: string): string {
  const values = readHeader(headers, name);
  if (values.length === 0 || values.every((value) => value.trim() === '')) {
    fail(
      'headers_missing',
      `webhook header ${name} is missing. torii signs every webhook with webhook-id, webhook-timestamp and webhook-signature; pass the request headers unchanged.`,
    );
  }
  // Several values are joined, so that an ambiguous header can never match a signature.
  return values.join(', ').trim();
}

/**
 * Verifies a torii webhook and returns its parsed JSON event. Implements Standard Webhooks:
 * `webhook-signature` holds one or more space-separated `v1,<base64 HMAC-SHA256>` signatures of
 * `"{webhook-id}.{webhook-timestamp}.{payload}"`, keyed with the base64 bytes of the
 * `whsec_`-prefixed secret; one matching signature is enough. The timestamp must lie within
 * `toleranceSec` of now, both ways. Signatures are compared in constant time. Web Crypto only:
 * runs on Node, Bun, Deno and Workers.
 *
 * Pass the raw body exactly as received: re-serialised JSON does not verify.
 *
 * @throws {@link ToriiWebhookError} with `code` `headers_missing`, `timestamp_invalid`,
 *   `timestamp_too_old`, `timestamp_too_new`, `signature_invalid`, `secret_invalid` or
 *   `payload_invalid`.
 * @throws {@link ToriiConfigError} when `toleranceSec` is not a non-negative number.
 *
 * @example
 * ```ts
 * app.post('/webhooks/torii', express.raw({ type: 'application/json' }), async (req, res) => {
 *   try {
 *     const event = await verifyWebhook(req.body, req.headers, process.env.TORII_WEBHOOK_SECRET!);
 *     // handle event
 *     res.sendStatus(204);
 *   } catch (err) {
 *     if (err instanceof ToriiWebhookError) return res.status(400).send(err.code);
 *     throw err;
 *   }
 * });
 * ```
 */
export async function verifyWebhook<T = unknown>(
  payload: WebhookPayload,
  headers: RequestLike,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<T> {
  const toleranceSec = checkNumber(options.toleranceSec, 'verifyWebhook toleranceSec', 300, {
    min: 0,
  });
  const key = decodeWebhookSecret(secret);
  const body = payloadBytes(payload);

  const id = singleHeader(headers, 'webhook-id');
  const timestamp = singleHeader(headers, 'webhook-timestamp');
  const signatureHeader = singleHeader(headers, 'webhook-signature');

  if (!/^\d{1,12}$/.test(timestamp)) {
    fail(
      'timestamp_invalid',
      'webhook-timestamp must be whole seconds since the epoch. The request was not sent by torii, or a proxy altered it.',
    );
  }
  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const sentSec = Number(timestamp);
  if (nowSec - sentSec > toleranceSec) {
    fail(
      'timestamp_too_old',
      `webhook-timestamp is more than ${toleranceSec} s in the past: a replay, or a delivery that waited too long. Check the server clock if every webhook fails this way.`,
    );
  }
  if (sentSec - nowSec > toleranceSec) {
    fail(
      'timestamp_too_new',
      `webhook-timestamp is more than ${toleranceSec} s in the future. Check the server clock (NTP).`,
    );
  }

  const expected = await computeSignature(key, id, timestamp, body);
  let matched = false;
  for (const entry of signatureHeader.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma === -1 || entry.slice(0, comma) !== 'v1') continue;
    // No early exit: every v1 signature is compared, so timing does not reveal which matched.
    if (timingSafeEqual(entry.slice(comma + 1), expected)) matched = true;
  }
  if (!matched) {
    fail(
      'signature_invalid',
      "no webhook-signature matches. Check that the secret is this endpoint's signing secret (whsec_…) and that the payload is the raw request body, byte for byte (not re-serialised JSON).",
    );
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (error) {
    return fail('payload_invalid', 'the webhook payload is not valid UTF-8.', error);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    return fail('payload_invalid', 'the webhook payload is signed but is not valid JSON.', error);
  }
}
