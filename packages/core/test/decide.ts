import { createAuthGuard } from '../src/http/auth-guard.js';
import type { AuthDecision } from '../src/http/types.js';
import type { AdapterOptions } from '../src/options.js';
import type { RequestLike } from '../src/request-like.js';

/** One request through a guard built from `options`, as an adapter would send it. */
export function decideWith<TRequest>(
  options: AdapterOptions<TRequest>,
  request: TRequest,
  headers?: RequestLike,
): Promise<AuthDecision> {
  return createAuthGuard<TRequest>(options).decide(request, headers);
}
