/**
 * Token verification: verifiers, request authentication and the adapter decision.
 *
 * @module
 */

export { type AuthGuard, createAuthGuard } from './auth-guard.js';
export { AUTH_FAILURE_MESSAGES, FORBIDDEN_MESSAGE } from './bearer/denials.js';
export { type DecideRequestOptions, decideRequest } from './decision.js';
export { authenticateRequest, createVerifier, verifyToken } from './verifier.js';
