import * as core from '@torii/core';
import { expect, it } from 'vitest';
import * as entry from './index.js';

// The public surface of @torii/nest, locked: adding or removing an export is a decision, made here.
it('exports exactly these runtime values', () => {
  expect(Object.keys(entry).sort()).toStrictEqual([
    'Auth',
    'Authorize',
    'OptionalAuth',
    'Public',
    'TORII_AUTHORIZE_KEY',
    'TORII_AUTH_GUARD',
    'TORII_OPTIONAL_KEY',
    'TORII_OPTIONS',
    'TORII_PUBLIC_KEY',
    'ToriiApiError',
    'ToriiAuthError',
    'ToriiClient',
    'ToriiConfigError',
    'ToriiDeniedException',
    'ToriiError',
    'ToriiGuard',
    'ToriiModule',
    'allOf',
    'anyOf',
    'claimEquals',
    'claimIncludes',
    'emailVerified',
    'environment',
    'getAuth',
    'notImpersonating',
    'profileComplete',
  ]);
});

it('re-exports core’s very classes and checks, so instanceof and one install are enough', () => {
  const fromCore = new Map<string, unknown>(Object.entries(core));
  const reExported = Object.entries(entry).filter(([name]) => fromCore.has(name));
  expect(reExported.length).toBe(13);
  for (const [name, value] of reExported) expect(value).toBe(fromCore.get(name));
});
