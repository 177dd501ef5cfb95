/**
 * `@Public()` and `@Auth()`.
 *
 * @module
 */
import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ToriiAuth } from '@torii/core';
import type { ToriiRequest } from './options.js';
import { TORII_PUBLIC_KEY } from './tokens.js';

/**
 * Marks a route (or a whole controller) as public: `ToriiGuard` never rejects it, and still
 * attaches the user when a valid token came (`@Auth()` is `null` otherwise).
 *
 * @example
 * ```ts
 * @Public() @Get('feed') feed(@Auth() auth: ToriiAuth | null) {}
 * ```
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(TORII_PUBLIC_KEY, true);

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
