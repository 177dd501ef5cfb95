import { describe, expect, it } from 'vitest';
import * as verify from './verify.js';

describe('the verification surface of @torii/core', () => {
  it('exports exactly these runtime values', () => {
    expect(Object.keys(verify).sort()).toEqual([
      'AUTH_FAILURE_MESSAGES',
      'FORBIDDEN_MESSAGE',
      'authenticateRequest',
      'createAuthGuard',
      'createVerifier',
      'decideRequest',
      'verifyToken',
    ]);
  });

  it('has a fixed message for every auth error code', async () => {
    const { ToriiAuthErrorCodes } = await import('./errors.js');
    expect(Object.keys(verify.AUTH_FAILURE_MESSAGES).sort()).toEqual(
      [...ToriiAuthErrorCodes].sort(),
    );
  });
});
