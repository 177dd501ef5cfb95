/**
 * `@torii/testing`: run and test torii-backed code with no torii account and no network.
 *
 * - {@link createTestIssuer}: a local issuer (ES256 keys, JWKS on loopback, good and bad tokens).
 * - {@link createMockToriiApi}: an in-memory torii server API, over HTTP and as a `fetch`.
 * - {@link startToriiDev} / {@link mintDevToken}: what the `torii-dev` CLI runs, for scripts.
 *
 * @module
 */
export * from './api/index.js';
export * from './cli/index.js';
export * from './issuer/index.js';
