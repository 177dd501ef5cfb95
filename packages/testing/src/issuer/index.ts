export {
  createTestIssuer,
  DEFAULT_TEST_ENVIRONMENT_ID,
  DEFAULT_TEST_USER_ID,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  JWKS_PATH,
  type RotateKeysOptions,
  type SignOptions,
  type TestIssuer,
  type TestIssuerOptions,
  type TestJwks,
  type TestTokenClaims,
} from './create-test-issuer.js';
export { type Duration, durationToSeconds } from './duration.js';
export type { PublicJwk } from './keys.js';
export type { TestAlgorithm } from './sign-jws.js';
