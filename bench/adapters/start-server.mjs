// Starts one benchmarked server (adapters/server-child.mjs) in its own process, configured through
// BENCH_SERVER; used by bench/adapters.mjs and bench/instructions.mjs.

import { fileURLToPath } from 'node:url';
import { startChild } from './child-process.mjs';

const SERVER_CHILD = fileURLToPath(new URL('./server-child.mjs', import.meta.url));

/**
 * @param {{ framework: string, variant: string, issuer: string, keys: { jwks: object, pem: string }, path: string }} server
 * @param {{ nodeArgs?: string[], cpu?: string, wrapper?: string[] }} [how] - see startChild
 */
export function startServer({ framework, variant, issuer, keys, path }, how = {}) {
  return startChild(SERVER_CHILD, {
    env: {
      BENCH_SERVER: JSON.stringify({
        framework,
        variant,
        issuer,
        jwks: keys.jwks,
        pem: keys.pem,
        path,
      }),
    },
    ...how,
    label: `server ${framework}:${variant}`,
  });
}
