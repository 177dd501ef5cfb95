import * as core from '@torii/core';
import { expect, it } from 'vitest';
import * as entry from './index.js';

// The public surface of @torii/fastify, locked: adding or removing an export is a decision, made here.
it('exports exactly these runtime values', () => {
  expect(Object.keys(entry).sort()).toStrictEqual([
    'ToriiApiError',
    'ToriiAuthError',
    'ToriiConfigError',
    'ToriiError',
    'allOf',
    'anyOf',
    'authorize',
    'claimEquals',
    'claimIncludes',
    'default',
    'emailVerified',
    'environment',
    'getAuth',
    'notImpersonating',
    'profileComplete',
    'toriiAuth',
  ]);
});

it('re-exports core’s very classes and checks, so instanceof and one install are enough', () => {
  const fromCore = new Map<string, unknown>(Object.entries(core));
  const reExported = Object.entries(entry).filter(([name]) => fromCore.has(name));
  expect(reExported.length).toBe(12);
  for (const [name, value] of reExported) expect(value).toBe(fromCore.get(name));
});
