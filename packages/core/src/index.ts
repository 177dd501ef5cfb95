/**
 * `@torii/core`: verify torii end-user JWTs locally, authenticate requests, decide what a framework
 * adapter answers, call the torii server API, and verify torii webhooks.
 *
 * Runs on any runtime with `fetch` and Web Crypto (Node 20.19+, Bun, Deno, Cloudflare Workers).
 *
 * @module
 */
export type { ToriiAuth, ToriiCustomClaims, ToriiJwtPayload } from './auth.js';
export * from './client/index.js';
export * from './errors.js';
export type * from './options.js';
export * from './verify.js';
export * from './webhooks/index.js';
