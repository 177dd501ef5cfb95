/**
 * `@Public()`, `@OptionalAuth()`, `@Authorize()`, `@Auth()` and `getAuth()`.
 *
 * @module
 */
import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type GetAuthOptions, readAuth, type ToriiAuth, ToriiConfigError } from '@torii/core';
import type { ToriiAuthorize, ToriiRequest } from './options.js';
import { TORII_AUTHORIZE_KEY, TORII_OPTIONAL_KEY, TORII_PUBLIC_KEY } from './tokens.js';

/**
 * Marks a route (or a whole controller) as public: it ignores auth entirely. `ToriiGuard` does
 * not run there (no token is read or verified, `@Authorize()` is not checked), so there is no
 * user to read: `@Auth()` and `getAuth()` throw a `ToriiError` that says so. For a route that
 * serves everyone but knows who is signed in, use {@link OptionalAuth} instead.
 *
 * A handler's `@Public()` or `@OptionalAuth()` overrides its controller's.
 *
 * It counts only where it is written: on a handler, or on the class that is itself the
 * controller. A controller that extends a `@Public()` class is not public (write `@Public()` on it
 * to make it so); a handler it inherits keeps the `@Public()` written on that handler, and an
 * override without `@Public()` is not public.
 *
 * @example
 * ```ts
 * @Public() @Get('health') health() { return { ok: true } }
 * ```
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(TORII_PUBLIC_KEY, true);

/**
 * Makes auth optional on a route (or a whole controller), with the meaning it has in every torii
 * adapter: without a token the request goes on and `@Auth()` is `null`; a token that is present
 * but invalid is still a 401 (and an issuer outage a 503). `@Authorize()` on such a route needs a
 * user: without a token it answers 401.
 *
 * A handler's `@Public()` or `@OptionalAuth()` overrides its controller's.
 *
 * @example
 * ```ts
 * @OptionalAuth() @Get('feed') feed(@Auth() auth: ToriiAuth | null) { return { signedIn: auth !== null } }
 * ```
 */
export const OptionalAuth = (): MethodDecorator & ClassDecorator =>
  SetMetadata(TORII_OPTIONAL_KEY, true);

/**
 * Adds an authorization check to a route (or to every route of a controller), read by
 * `ToriiGuard`: after the token is verified and the module's own `authorize` (if any) returned
 * `true`, `predicate(auth, request)` must return `true` too, else the answer is torii's 403
 * `{"error":{"code":"forbidden",…}}`. Without a valid token the answer stays the 401, and the
 * predicate is not called.
 *
 * The token is verified once: `ToriiGuard` runs the predicate right after it verified the token.
 * A handler's `@Authorize()` replaces its controller's (they are not combined). A controller
 * inherits its base class's `@Authorize()` unless it has its own (unlike `@Public()` and
 * `@OptionalAuth()`, which are never inherited: a check that carries over can only refuse more).
 * It takes effect only where `ToriiGuard` runs (`globalGuard: true` or `@UseGuards(ToriiGuard)`),
 * and not on a `@Public()` route; on an `@OptionalAuth()` route a request without a token is a 401
 * (a check needs a user). Errors thrown by the predicate go to Nest's exception filters. The
 * ready-made checks (`emailVerified`, `claimEquals`, `allOf`, …) are predicates.
 *
 * @throws {@link ToriiConfigError} at decoration time when `predicate` is not a function
 *
 * @example
 * ```ts
 * const isAdmin = claimEquals('role', 'admin');
 *
 * @Authorize(isAdmin)
 * @Controller('admin')
 * class AdminController {
 *   @Get('users') list() {}
 *
 *   // replaces isAdmin on this route; the request is the platform's: narrow its type to read
 *   // params, query or body
 *   @Authorize((auth, req: ToriiRequest & { params: { org: string } }) => auth.raw.org === req.params.org)
 *   @Get('orgs/:org') org() {}
 * }
 * ```
 */
export function Authorize<TRequest extends ToriiRequest = ToriiRequest>(
  predicate: ToriiAuthorize<TRequest>,
): MethodDecorator & ClassDecorator {
  if (typeof predicate !== 'function') {
    throw new ToriiConfigError(
      `torii: @Authorize() takes a function (auth, request) => boolean | Promise<boolean> (got ${
        predicate === null ? 'null' : typeof predicate
      }).`,
    );
  }
  return SetMetadata(TORII_AUTHORIZE_KEY, predicate);
}

const AuthParam = createParamDecorator(
  (field: keyof ToriiAuth | undefined, context: ExecutionContext) => {
    const auth = readAuth(context.switchToHttp().getRequest<ToriiRequest>().auth, OPTIONAL);
    return field === undefined || auth === null ? auth : auth[field];
  },
);

const OPTIONAL: GetAuthOptions = Object.freeze({ optional: true });

/**
 * Injects the verified user set by `ToriiGuard` (`null` on an `@OptionalAuth()` route without a
 * token), or one of its fields (then `null` without a user). Where `ToriiGuard` did not run (a
 * `@Public()` route, a controller without the guard) it throws a `ToriiError` that names the
 * fix, the same as every torii adapter's `getAuth`.
 *
 * @example
 * ```ts
 * @Get('me') me(@Auth() auth: ToriiAuth, @Auth('userId') userId: string) {}
 * @OptionalAuth() @Get('feed') feed(@Auth() auth: ToriiAuth | null) {}
 * ```
 */
export function Auth(field?: keyof ToriiAuth): ParameterDecorator {
  return AuthParam(field);
}

/**
 * The torii user of a request, for code that has the request rather than a parameter (an
 * interceptor, a service given the request). Throws a `ToriiError` that names the fix when
 * `ToriiGuard` did not run on this request, and — unless `{ optional: true }` — when there is no
 * user (an `@OptionalAuth()` route without a token). The messages are the same in every torii
 * adapter.
 *
 * @example
 * ```ts
 * const auth = getAuth(context.switchToHttp().getRequest());
 * ```
 */
export function getAuth(request: Pick<ToriiRequest, 'auth'>): ToriiAuth;
export function getAuth(
  request: Pick<ToriiRequest, 'auth'>,
  options: GetAuthOptions,
): ToriiAuth | null;
export function getAuth(
  request: Pick<ToriiRequest, 'auth'>,
  options?: GetAuthOptions,
): ToriiAuth | null {
  return readAuth(request.auth, options);
}
