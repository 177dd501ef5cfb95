/**
 * `@torii/core`: verify torii end-user JWTs locally, authenticate requests, decide what a framework
 * adapter answers, call the torii server API, and verify torii webhooks.
 *
 * Runs on any runtime with `fetch` and Web Crypto (Node 20.19+, Bun, Deno, Cloudflare Workers).
 * Options omitted are read from `TORII_ISSUER`, `TORII_SECRET_KEY` and `TORII_API_URL` where the
 * runtime has a process environment; `TORII_DEBUG` turns on debug logging.
 * How the layers fit together: docs/ARCHITECTURE.md in the repository.
 *
 * @module
 */
export type { ToriiAuth, ToriiCustomClaims, ToriiJwtPayload } from './auth.js';
export * from './client/index.js';
export * from './errors.js';
export {
  type AdapterDeclaration,
  type AuthGuard,
  createAuthGuard,
  type ToriiHealth,
} from './http/auth-guard.js';
export {
  type AuthCheck,
  allOf,
  anyOf,
  type ClaimEqualsValue,
  type ClaimIncludesValue,
  type ClaimScalar,
  claimEquals,
  claimIncludes,
  emailVerified,
  environment,
  notImpersonating,
  profileComplete,
} from './http/checks.js';
export { AUTH_FAILURE_MESSAGES, FORBIDDEN_MESSAGE } from './http/denials.js';
export { authenticateRequest, createVerifier } from './http/request-verifier.js';
export {
  createRouteCheck,
  type GetAuthOptions,
  NO_SIGNED_IN_USER_MESSAGE,
  NO_TORII_AUTH_MESSAGE,
  type RouteCheck,
  readAuth,
} from './http/route-check.js';
export type {
  AuthAllowed,
  AuthDecision,
  AuthDenied,
  ToriiErrorBody,
  Verifier,
} from './http/types.js';
export { JWKS_PATH } from './jwks/jwks-url.js';
export type * from './observability.js';
export type * from './options.js';
export type * from './request-like.js';
export { type TokenVerifier, verifyToken } from './verification/verifier.js';
export * from './webhooks/index.js';
