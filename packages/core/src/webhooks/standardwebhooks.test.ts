import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { ToriiWebhookError } from '../errors.js';
import { signWebhook, verifyWebhook } from './index.js';

// Cross-test against the reference implementation of Standard Webhooks (npm `standardwebhooks`).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const payloads = [
  '{"type":"user.created","data":{"id":"user_abc"}}',
  '{"type":"user.updated","data":{"name":"Zoë ✓ 日本"}}',
  '[]',
];

describe('interoperability with the standardwebhooks reference package', () => {
  it.each(payloads)('verifies what the reference signs: %s', async (payload) => {
    const reference = new Webhook(SECRET);
    const id = 'msg_ref';
    const timestamp = new Date();
    const signature = reference.sign(id, timestamp, payload);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    };
    await expect(verifyWebhook(payload, headers, SECRET)).resolves.toEqual(JSON.parse(payload));
  });

  it.each(payloads)('the reference verifies what we sign: %s', async (payload) => {
    const headers = await signWebhook(payload, SECRET);
    expect(new Webhook(SECRET).verify(payload, { ...headers })).toEqual(JSON.parse(payload));
  });

  it('both reject the same tampering', async () => {
    const headers = await signWebhook(payloads[0] ?? '', SECRET);
    const tampered = (payloads[0] ?? '').replace('abc', 'abd');
    expect(() => new Webhook(SECRET).verify(tampered, { ...headers })).toThrow();
    await expect(verifyWebhook(tampered, headers, SECRET)).rejects.toBeInstanceOf(
      ToriiWebhookError,
    );
  });

  it('agree on a signature made with a different key', async () => {
    const otherSecret = `whsec_${Buffer.from('a different signing key!').toString('base64')}`;
    const reference = new Webhook(otherSecret);
    const now = new Date();
    const payload = payloads[0] ?? '';
    const headers = {
      'webhook-id': 'msg_x',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': reference.sign('msg_x', now, payload),
    };
    await expect(verifyWebhook(payload, headers, SECRET)).rejects.toMatchObject({
      code: 'signature_invalid',
    });
    expect(() => new Webhook(SECRET).verify(payload, headers)).toThrow();
  });
});
