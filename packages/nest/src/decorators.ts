/**
 * `@Public()`, `@Authorize()` and `@Auth()`.
 *
 * @module
 */
import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type ToriiAuth, ToriiConfigError } from '@torii/core';
import type { ToriiAuthorize, ToriiRequest } from './options.js';
import { TORII_AUTHORIZE_KEY, TORII_PUBLIC_KEY } from './tokens.js';

/**
 * Marks a route (or a whole controller) as public: `ToriiGuard` never rejects it, and still
 * attaches the user when a valid token came (`@Auth()` is `null` otherwise).
 *
 * It counts only where it is written: on a handler, or on the class that is itself the
 * controller. A controller that extends a `@Public()` class is not public (write `@Public()` on it
 * to make it so); a handler it inherits keeps the `@Public()` written on that handler, and an
 * override without `@Public()` is not public.
 *
 * @example
 * ```ts
 * @Public() @Get('feed') feed(@Auth() auth: ToriiAuth | null) {}
 * ```
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(TORII_PUBLIC_KEY, true);

/**
 * Adds an authorization check to a route (or to every route of a controller), read by
 * `ToriiGuard`: after the token is verified and the module's own `authorize` (if any) returned
 * `true`, `predicate(auth, request)` must return `true` too, else the answer is torii's 403
 * `{"error":{"code":"forbidden",…}}`. Without a valid token the answer stays the 401, and the
 * predicate is not called.
 *
 * A handler's `@Authorize()` replaces its controller's (they are not combined). A controller
 * inherits its base class's `@Authorize()` unless it has its own (unlike `@Public()`, which is
 * never inherited: a check that carries over can only refuse more). It takes effect only where
 * `ToriiGuard` runs (`globalGuard: true` or `@UseGuards(ToriiGuard)`); on a `@Public()` route
 * nothing is rejected, and a `false` leaves `@Auth()` `null`. Errors thrown by the predicate
 * go to Nest's exception filters.
 *
 * @throws {@link ToriiConfigError} at decoration time when `predicate` is not a function
 *
 * @example
 * ```ts
 * const isAdmin = (auth: ToriiAuth) => auth.raw.role === 'admin';
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
    const auth = context.switchToHttp().getRequest<ToriiRequest>().auth ?? null;
    return field === undefined || auth === null ? auth : auth[field];
  },
);

/**
 * Injects the verified user set by `ToriiGuard` (`ToriiAuth`, or `null` on `@Public()` routes
 * without a user), or one of its fields.
 *
 * @example
 * ```ts
 * @Get('me') me(@Auth() auth: ToriiAuth, @Auth('userId') userId: string) {}
 * ```
 */
export function Auth(field?: keyof ToriiAuth): ParameterDecorator {
  return AuthParam(field);
}
