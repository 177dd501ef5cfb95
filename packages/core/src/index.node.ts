/**
 * `@torii/core` for Node (picked by the `node` export condition): exactly the default entry, with
 * ES256 signatures checked by `node:crypto.verify` (synchronous) instead of Web Crypto's async
 * `crypto.subtle.verify`. Keys are still imported and validated with Web Crypto; the prechecks
 * (64 bytes, `r` and `s` non-zero) are the same. It also holds one of Node's tick objects for the
 * life of the process, which keeps `process.nextTick` fast after a full garbage collection
 * (`src/shared/tick-object.node.ts`).
 *
 * @module
 */
import { setEs256Backend } from './jwt/es256.js';
import { verifyEs256Node } from './jwt/es256.node.js';
import { holdTickObject } from './shared/tick-object.node.js';

setEs256Backend(verifyEs256Node);
holdTickObject();

export * from './index.js';
