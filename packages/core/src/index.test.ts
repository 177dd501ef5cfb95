import { describe, expect, it } from 'vitest';
import * as entry from './index.js';

// The public surface of @torii/core, locked: adding or removing an export is a decision, made here.
describe('the public surface of @torii/core', () => {
  it('exports exactly these runtime values', () => {
    expect(Object.keys(entry).sort()).toEqual([
      'AUTH_FAILURE_MESSAGES',
      'DEFAULT_API_URL',
      'FORBIDDEN_MESSAGE',
      'JWKS_PATH',
      'NO_SIGNED_IN_USER_MESSAGE',
      'NO_TORII_AUTH_MESSAGE',
      'SDK_VERSION',
      'ToriiApiError',
      'ToriiAuthError',
      'ToriiAuthErrorCodes',
      'ToriiClient',
      'ToriiConfigError',
      'ToriiError',
      'ToriiSessions',
      'ToriiUsers',
      'ToriiWebhookError',
      'ToriiWebhookErrorCodes',
      'WEBHOOK_SECRET_PREFIX',
      'allOf',
      'anyOf',
      'authenticateRequest',
      'claimEquals',
      'claimIncludes',
      'createAuthGuard',
      'createRouteCheck',
      'createVerifier',
      'emailVerified',
      'environment',
      'notImpersonating',
      'profileComplete',
      'readAuth',
      'signWebhook',
      'verifyToken',
      'verifyWebhook',
    ]);
  });

  it('has a fixed message for every auth error code', () => {
    expect(Object.keys(entry.AUTH_FAILURE_MESSAGES).sort()).toEqual(
      [...entry.ToriiAuthErrorCodes].sort(),
    );
  });
});
