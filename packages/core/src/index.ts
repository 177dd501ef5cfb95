export type { ToriiAuth, ToriiCustomClaims, ToriiJwtPayload } from './auth.js';
export * from './errors.js';
export type * from './options.js';
// verification (jwt/, jwks/, bearer/, verifier): owned by the verification work
export * from './verify.js';
// REST client and webhooks
export * from './client/index.js';
export * from './webhooks/index.js';
