/**
 * Builds what a runtime gets: tokens from a running test issuer and a webhook signed in Node,
 * plus the values the test expects back.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { signWebhook } from '@torii/core';
import type { TestIssuer } from '@torii/testing';
import type { RuntimeInput } from '../fixtures/protocol.ts';

/** A runtime's input and what the runtime must find in it. */
export interface RuntimeCase {
  input: RuntimeInput;
  /** The `sub` of the valid token. */
  userId: string;
  /** The parsed webhook event. */
  event: { type: string; data: { id: string } };
}

/**
 * Signs one token per case with `issuer.sign` (valid, `expired`, `tampered`, `alg: 'none'`) for a
 * fresh random user, and a `user.created` webhook with a fresh `whsec_` secret.
 *
 * @example
 * ```ts
 * const issuer = await createTestIssuer();
 * const { input, userId } = await createRuntimeCase(issuer);
 * ```
 */
export async function createRuntimeCase(issuer: TestIssuer): Promise<RuntimeCase> {
  const userId = `user_${randomUUID()}`;
  const claims = { sub: userId };
  const event = { type: 'user.created', data: { id: userId } };
  const payload = JSON.stringify(event);
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const input: RuntimeInput = {
    issuer: issuer.issuer,
    tokens: {
      valid: await issuer.sign(claims),
      expired: await issuer.sign(claims, { expired: true }),
      tampered: await issuer.sign(claims, { tampered: true }),
      algNone: await issuer.sign(claims, { alg: 'none' }),
    },
    webhook: { secret, payload, headers: await signWebhook(payload, secret) },
  };
  return { input, userId, event };
}
