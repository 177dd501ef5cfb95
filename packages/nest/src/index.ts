/**
 * NestJS integration of torii: `ToriiModule`, `ToriiGuard`, `@Public()`, `@OptionalAuth()`,
 * `@Authorize()`, `@Auth()`, `getAuth()` and an injectable `ToriiClient`; the ready-made checks,
 * error classes and types of `@torii/core` are re-exported, so this one install is enough.
 *
 * @module
 */
export type {
  AuthCheck,
  AuthDenied,
  ClaimEqualsValue,
  ClaimIncludesValue,
  ClaimScalar,
  GetAuthOptions,
  ToriiAuth,
  ToriiAuthErrorCode,
  ToriiClientOptions,
  ToriiCustomClaims,
  ToriiErrorBody,
  ToriiHealth,
  ToriiJwtPayload,
  VerifierStatus,
} from '@torii/core';
export {
  allOf,
  anyOf,
  claimEquals,
  claimIncludes,
  emailVerified,
  environment,
  notImpersonating,
  profileComplete,
  ToriiApiError,
  ToriiAuthError,
  ToriiClient,
  ToriiConfigError,
  ToriiError,
} from '@torii/core';
export { Auth, Authorize, getAuth, OptionalAuth, Public } from './decorators.js';
export type {
  ToriiAuthorize,
  ToriiModuleAsyncOptions,
  ToriiModuleExtras,
  ToriiModuleOptions,
  ToriiOptionsFactory,
  ToriiRequest,
} from './options.js';
export {
  TORII_AUTH_GUARD,
  TORII_AUTHORIZE_KEY,
  TORII_OPTIONAL_KEY,
  TORII_OPTIONS,
  TORII_PUBLIC_KEY,
} from './tokens.js';
export { ToriiGuard } from './torii.guard.js';
export { ToriiModule } from './torii.module.js';
export { ToriiDeniedException } from './torii-denied.exception.js';
