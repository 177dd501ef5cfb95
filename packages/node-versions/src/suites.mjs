/**
 * What runs again on each extra Node version: the vitest suites of these packages, each with its
 * own `vitest.config.ts` (type tests off: they do not depend on the runtime).
 *
 * @module
 */

/**
 * Directories under `packages/` whose suites run on Node 22 and Node 24. Each one's package is a
 * workspace dependency of `@torii/node-versions`, so turbo builds it before this package's test.
 */
export const SUITES = ['core', 'express', 'fastify', 'hono', 'koa', 'nest', 'nest-12', 'testing'];
