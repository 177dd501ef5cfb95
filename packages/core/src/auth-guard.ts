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
  DecisionOverrides,
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
   * `overrides` changes the decision for this call only (a route that is optional, or that needs
   * a further `authorize`); the promise rejects with a {@link ToriiConfigError} when they are
   * malformed.
   *
   * @example
   * ```ts
   * await guard.decide(req, req.headers, { optional: true });
   * await guard.decide(req, req.headers, { authorize: (auth) => auth.raw.role === 'admin' });
   * ```
   */
  decide(
    request: TRequest,
    headers?: RequestLike,
    overrides?: DecisionOverrides<TRequest>,
  ): Promise<AuthDecision>;
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

type Authorize<TRequest> = NonNullable<DecisionOptions<TRequest>['authorize']>;

/** `first`, then `second` when `first` returned `true`: both must return `true`. */
function bothAuthorize<TRequest>(
  first: Authorize<TRequest> | undefined,
  second: Authorize<TRequest> | undefined,
): Authorize<TRequest> | undefined {
  if (first === undefined) return second;
  if (second === undefined) return first;
  return async (auth, request) =>
    (await first(auth, request)) === true && (await second(auth, request)) === true;
}

function withOverrides<TRequest>(
  base: DecisionOptions<TRequest>,
  overrides: DecisionOverrides<TRequest>,
): DecisionOptions<TRequest> {
  if (typeof overrides !== 'object' || overrides === null) {
    throw new ToriiConfigError(
      'torii: decide() overrides must be an object { optional, authorize }.',
    );
  }
  const { optional, authorize } = overrides;
  if (optional !== undefined && typeof optional !== 'boolean') {
    throw new ToriiConfigError('torii: the optional override must be true or false.');
  }
  checkFunction(
    authorize,
    'the authorize override',
    '(auth, request) => boolean | Promise<boolean>',
  );
  return {
    ...base,
    optional: optional ?? base.optional,
    authorize: bothAuthorize(base.authorize, authorize),
  };
}

/**
 * Validates every adapter option once (throwing {@link ToriiConfigError} with an actionable
 * message), builds the verifier once, and returns `decide(request, headers?, overrides?)`, which
 * answers `{ ok: true, auth }` or the `{ status, headers, body }` to write out (see
 * {@link decideRequest}). `overrides` ({@link DecisionOverrides}) serve routes that differ from the
 * instance: `optional` replaces the guard's, `authorize` is checked after the guard's own (both
 * must pass). This is all an adapter needs from core.
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
    decide(
      request: TRequest,
      headers?: RequestLike,
      overrides?: DecisionOverrides<TRequest>,
    ): Promise<AuthDecision> {
      let options: DecisionOptions<TRequest> = decisionOptions;
      if (overrides !== undefined) {
        try {
          options = withOverrides(decisionOptions, overrides);
        } catch (error) {
          return Promise.reject(error);
        }
      }
      const decideOptions: DecideRequestOptions<TRequest> =
        headers === undefined ? options : { ...options, headers };
      return decideRequest(verifier, request, decideOptions);
    },
  });
}
