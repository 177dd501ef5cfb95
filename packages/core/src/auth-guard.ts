/**
 * `createAuthGuard`: what every framework adapter builds once per middleware instance.
 *
 * @module
 */
import { type DecideRequestOptions, decideRequest } from './decision.js';
import { ToriiConfigError } from './errors.js';
import type {
  AdapterOptions,
  AuthDecision,
  DecisionOptions,
  RequestLike,
  Verifier,
} from './options.js';
import { createVerifier } from './verifier.js';

/** A verifier plus the request decision, built once from adapter options. */
export interface AuthGuard<TRequest> {
  /** The verifier, built once (its JWKS cache is shared per issuer in the process). */
  readonly verifier: Verifier;
  /**
   * Decides one request. `headers` defaults to `request` itself read as a {@link RequestLike};
   * pass it when the framework keeps headers elsewhere (Koa's `ctx.headers`, Hono's `c.req.raw`).
   */
  decide(request: TRequest, headers?: RequestLike): Promise<AuthDecision>;
}

function checkFunction(value: unknown, name: string, signature: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new ToriiConfigError(`torii: ${name} must be a function ${signature}.`);
  }
}

function decisionOptionsOf<TRequest>(options: AdapterOptions<TRequest>): DecisionOptions<TRequest> {
  const { optional, authorize, getToken } = options;
  if (optional !== undefined && typeof optional !== 'boolean') {
    throw new ToriiConfigError('torii: optional must be true or false.');
  }
  checkFunction(authorize, 'authorize', '(auth, request) => boolean | Promise<boolean>');
  checkFunction(
    getToken,
    'getToken',
    '(request) => string | null | undefined (or a promise of it)',
  );
  return { optional: optional === true, authorize, getToken };
}

/**
 * Validates every adapter option once (throwing {@link ToriiConfigError} with an actionable
 * message), builds the verifier once, and returns `decide(request, headers?)`, which answers
 * `{ ok: true, auth }` or the `{ status, headers, body }` to write out (see {@link decideRequest}).
 * This is all an adapter needs from core.
 *
 * @throws {@link ToriiConfigError} when an option is invalid
 *
 * @example
 * ```ts
 * const guard = createAuthGuard<IncomingMessage>({ issuer: 'https://acme.torii.so', optional: true });
 * const decision = await guard.decide(req);
 * ```
 */
export function createAuthGuard<TRequest>(options: AdapterOptions<TRequest>): AuthGuard<TRequest> {
  const verifier = createVerifier(options);
  const decisionOptions = decisionOptionsOf(options);
  return Object.freeze({
    verifier,
    decide(request: TRequest, headers?: RequestLike): Promise<AuthDecision> {
      const decideOptions: DecideRequestOptions<TRequest> =
        headers === undefined ? decisionOptions : { ...decisionOptions, headers };
      return decideRequest(verifier, request, decideOptions);
    },
  });
}
