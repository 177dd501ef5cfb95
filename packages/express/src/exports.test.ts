import { expect, it } from 'vitest';
import * as entry from './index.js';

// The public surface of @torii/express, locked: adding or removing an export is a decision, made here.
it('exports exactly these runtime values', () => {
  expect(Object.keys(entry).sort()).toStrictEqual(['getAuth', 'optionalAuth', 'requireAuth']);
});
