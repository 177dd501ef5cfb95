/**
 * `@torii/core` for Node (picked by the `node` export condition): exactly the default entry, with
 * ES256 signatures checked by `node:crypto.verify` (synchronous) instead of Web Crypto's async
 * `crypto.subtle.verify`. Keys are still imported and validated with Web Crypto; the prechecks
 * (64 bytes, `r` and `s` non-zero) are the same.
 *
 * @module
 */
import { setEs256Backend } from './jwt/es256.js';
import { verifyEs256Node } from './jwt/es256.node.js';

setEs256Backend(verifyEs256Node);

export * from './index.js';
