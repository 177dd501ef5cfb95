import { expect, it } from 'vitest';
import * as entry from './index.js';

// The public surface of @torii/nest, locked: adding or removing an export is a decision, made here.
it('exports exactly these runtime values', () => {
  expect(Object.keys(entry).sort()).toStrictEqual([
    'Auth',
    'Authorize',
    'Public',
    'TORII_AUTHORIZE_KEY',
    'TORII_AUTH_GUARD',
    'TORII_OPTIONS',
    'TORII_PUBLIC_KEY',
    'ToriiClient',
    'ToriiDeniedException',
    'ToriiGuard',
    'ToriiModule',
  ]);
});
