/**
 * RFC 9457 problem details, the way the torii server API answers errors: `application/problem+json`
 * with `type`, `title`, `status`, `detail`, plus the torii members `code` and `supportId`.
 *
 * @module
 */

/** The stable `code` of every problem the mock answers. */
export type MockProblemCode =
  | 'secret_key_missing'
  | 'secret_key_invalid'
  | 'invalid_json'
  | 'invalid_body'
  | 'invalid_query'
  | 'invalid_cursor'
  | 'password_too_weak'
  | 'email_taken'
  | 'user_not_found'
  | 'user_deleted'
  | 'environment_mismatch'
  | 'session_not_owned'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'injected_failure';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The JSON body of a problem answer. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: MockProblemCode;
  supportId: string;
}

/** An error a mock operation ends with; the handler turns it into a problem answer. */
export class ApiProblem extends Error {
  override name = 'ApiProblem';

  constructor(
    readonly status: number,
    readonly code: MockProblemCode,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/** Build the `application/problem+json` response of `problem`. */
export function problemResponse(problem: ApiProblem): Response {
  const body: ProblemBody = {
    type: 'about:blank',
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    supportId: crypto.randomUUID(),
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { ...problem.headers, 'content-type': 'application/problem+json' },
  });
}
