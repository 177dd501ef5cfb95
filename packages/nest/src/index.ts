/**
 * NestJS integration of torii: `ToriiModule`, `ToriiGuard`, `@Public()`, `@Authorize()`, `@Auth()`
 * and an injectable `ToriiClient`.
 *
 * @module
 */
export type { ToriiHealth, VerifierStatus } from '@torii/core';
export { ToriiClient } from '@torii/core';
export { Auth, Authorize, Public } from './decorators.js';
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
  TORII_OPTIONS,
  TORII_PUBLIC_KEY,
} from './tokens.js';
export { ToriiGuard } from './torii.guard.js';
export { ToriiModule } from './torii.module.js';
export { ToriiDeniedException } from './torii-denied.exception.js';
