/**
 * One conformance suite, run against every torii adapter over real HTTP on loopback. Private to
 * the workspace; consumed as TypeScript source by each adapter's vitest run.
 *
 * @example
 * ```ts
 * import { runConformanceSuite, type StartConformanceApp } from '@torii/conformance';
 * const start: StartConformanceApp = async (options) => { ...listen on 127.0.0.1:0...; return { url, close } };
 * runConformanceSuite('express', start);
 * ```
 *
 * @module
 */
export { type ConformanceResponse, closedLoopbackUrl, get, getRaw } from './http.js';
export { type LoopbackServer, listenOnLoopback } from './listen.js';
export { uncalledFactoryMessage } from './misuse.js';
export {
  CONFORMANCE_COOKIE,
  CONFORMANCE_ROUTES,
  type ConformanceUser,
  HOOK_STATUS,
  hookedAnswer,
  isAdmin,
  PROTECTED_ROUTES,
  tokenFromCookie,
  userBody,
} from './routes.js';
export { countSignatureChecks, type SignatureCheckCounter } from './signature-checks.js';
export { type ConformanceApp, runConformanceSuite, type StartConformanceApp } from './suite.js';
export { pathVariants } from './variants.js';
