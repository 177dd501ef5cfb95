// The public surface of @torii/testing, locked: adding or removing an export is a deliberate act.
import { expect, it } from 'vitest';
import * as testing from '../src/index.js';

it('exports exactly this runtime surface', () => {
  expect(Object.keys(testing).sort()).toEqual([
    'API_PREFIX',
    'DEFAULT_API_PORT',
    'DEFAULT_ISSUER_PORT',
    'DEFAULT_KEY_SEED',
    'DEFAULT_MAX_PAGE_SIZE',
    'DEFAULT_PAGE_SIZE',
    'DEFAULT_TEST_ENVIRONMENT_ID',
    'DEFAULT_TEST_USER_ID',
    'DEFAULT_TOKEN_LIFETIME_SECONDS',
    'DEMO_SEED',
    'JWKS_PATH',
    'MIN_PASSWORD_LENGTH',
    'createMockToriiApi',
    'createTestIssuer',
    'deriveDevIdentity',
    'durationToSeconds',
    'mintDevToken',
    'startToriiDev',
  ]);
});
