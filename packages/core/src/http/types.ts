/**
 * The contracts of the HTTP layer: the request verifier and the decision an adapter writes out.
 *
 * @module
 */
import type { ToriiAuth } from '../auth.js';
import type { ToriiAuthError } from '../errors.js';
import type { RequestLike } from '../request-like.js';
import type { TokenVerifier } from '../verification/verifier.js';

/** A verifier built once and used for every request: verifies tokens, and reads them from requests. */
export interface Verifier extends TokenVerifier {
  /** Read the bearer token from a request and verify it. Always returns a promise. */
  authenticate(request: RequestLike): Promise<ToriiAuth>;
}

/** The JSON body of every error answer: `{"error":{"code":"…","message":"…"}}`. */
export interface ToriiErrorBody {
  error: {
    code: 'authentication_failed' | 'forbidden' | 'verification_unavailable';
    message: string;
  };
}

/** The answer for a request that may not go on. Adapters write it out as is. */
export interface AuthDenied {
  ok: false;
  status: 401 | 403 | 503;
  headers: Record<string, string>;
  body: ToriiErrorBody;
  /** What failed: the auth error (401, 503) or `null` when `authorize` said no (403). */
  error: ToriiAuthError | null;
}

/** The request may go on; `auth` is `null` only for optional auth without a token. */
export interface AuthAllowed {
  ok: true;
  auth: ToriiAuth | null;
}

/** What `AuthGuard.decide` answers. */
export type AuthDecision = AuthAllowed | AuthDenied;
