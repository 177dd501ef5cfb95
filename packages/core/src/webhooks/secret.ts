/**
 * Decoding Standard Webhooks signing secrets.
 *
 * @module
 */
import { ToriiWebhookError } from '../errors.js';
import { base64ToBytes } from './base64.js';

/** The prefix of Standard Webhooks secrets, e.g. `whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw`. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * Turns a `whsec_`-prefixed (or bare) base64 secret into HMAC key bytes. Throws
 * {@link ToriiWebhookError} `secret_invalid`; the message never contains the secret.
 */
export function decodeWebhookSecret(secret: unknown): Uint8Array<ArrayBuffer> {
  if (typeof secret !== 'string' || secret.trim() === '') {
    throw new ToriiWebhookError(
      'secret_invalid',
      'torii: the webhook signing secret is missing. Pass the endpoint secret (whsec_…) from the torii dashboard, e.g. process.env.TORII_WEBHOOK_SECRET.',
    );
  }
  const text = secret.trim();
  const encoded = text.startsWith(WEBHOOK_SECRET_PREFIX)
    ? text.slice(WEBHOOK_SECRET_PREFIX.length)
    : text;
  const key = base64ToBytes(encoded);
  if (key === undefined || key.length === 0) {
    throw new ToriiWebhookError(
      'secret_invalid',
      'torii: the webhook signing secret is not a whsec_-prefixed base64 string. Copy the endpoint secret from the torii dashboard unchanged.',
    );
  }
  return key;
}
