/**
 * The exception `ToriiGuard` throws for a denied request.
 *
 * @module
 */
import { HttpException } from '@nestjs/common';
import type { AuthDenied } from '@torii/core';

/**
 * A denied request (401, 403 or 503). Its response is torii's JSON body exactly, so Nest's default
 * exception filter writes `{"error":{"code":"…","message":"…"}}`; catch it in your own filter to
 * answer differently.
 *
 * @example
 * ```ts
 * @Catch(ToriiDeniedException)
 * class AuthFilter implements ExceptionFilter {
 *   catch(exception: ToriiDeniedException, host: ArgumentsHost) { … exception.denied.status … }
 * }
 * ```
 */
export class ToriiDeniedException extends HttpException {
  /** torii's decision: status, headers, body and the underlying error. */
  readonly denied: AuthDenied;

  constructor(denied: AuthDenied) {
    super(denied.body, denied.status, { cause: denied.error ?? undefined });
    this.denied = denied;
  }
}
