/**
 * Signing webhooks the way torii does, for your tests and local tools.
 *
 * @module
 */
import { computeSignature } from './hmac.js';
import { decodeWebhookSecret } from './secret.js';
import type { WebhookPayload } from './verify-webhook.js';

/** Options of {@link signWebhook}. */
export interface SignWebhookOptions {
  /** The message id. @default `msg_` followed by a random UUID */
  id?: string;
  /** When it was sent, in whole seconds since the epoch. @default now */
  timestamp?: number;
}

/**
 * The three headers of a signed webhook. A type alias, not an interface, so that it can be passed
 * wherever a plain header record is expected (`fetch`, `verifyWebhook`).
 */
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

const encoder = new TextEncoder();

/**
 * Signs a payload with a `whsec_` secret and returns the Standard Webhooks headers torii would
 * send with it, so tests can post realistic webhooks to your handler.
 *
 * @throws {@link ToriiWebhookError} `secret_invalid` when the secret is not base64.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ type: 'user.created', data: { id: 'user_abc' } });
 * const headers = await signWebhook(body, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
 * await fetch('http://127.0.0.1:3000/webhooks/torii', { method: 'POST', headers, body });
 * ```
 */
export async function signWebhook(
  payload: WebhookPayload,
  secret: string,
  options: SignWebhookOptions = {},
): Promise<WebhookHeaders> {
  const key = decodeWebhookSecret(secret);
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = String(Math.floor(options.timestamp ?? Date.now() / 1000));
  const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const signature = await computeSignature(key, id, timestamp, bytes);
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  };
}
