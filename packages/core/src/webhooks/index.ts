/**
 * Verifying (and, for tests, signing) torii webhooks.
 *
 * @module
 */

export { WEBHOOK_SECRET_PREFIX } from './secret.js';
export { type SignWebhookOptions, signWebhook, type WebhookHeaders } from './sign-webhook.js';
export {
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookPayload,
} from './verify-webhook.js';
