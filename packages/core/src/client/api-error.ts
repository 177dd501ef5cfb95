/**
 * Turning a non-2xx answer of the server API into a {@link ToriiApiError}.
 *
 * @module
 */
import { ToriiApiError } from '../errors.js';
import { secretRedactor } from './redact-secret.js';

/** The parts of an HTTP answer an error is built from. */
export interface ErrorResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

/** What to do about an error status, appended to the message. */
const HINTS: Readonly<Record<number, string>> = {
  400: 'Check the fields you sent.',
  401: 'Check secretKey: use a current sk_live_… or sk_test_… key from the torii dashboard.',
  403: 'The resource belongs to another environment, or the key may not act on it.',
  404: 'No such resource: check the id.',
  409: 'It conflicts with an existing resource (e.g. a user with this email).',
  429: 'Rate limited: slow down and retry later.',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringAt(...candidates: unknown[]): string | undefined {
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return undefined;
}

function parseBody(response: ErrorResponse): unknown {
  if (response.text === '') return undefined;
  const contentType = response.headers.get('content-type')?.toLowerCase() ?? '';
  if (/[/+]json\b/.test(contentType) || /^\s*[{[]/.test(response.text)) {
    try {
      return JSON.parse(response.text) as unknown;
    } catch {
      return response.text;
    }
  }
  return response.text;
}

/**
 * Builds the error of a non-2xx answer. Reads RFC 9457 fields (`title`, `detail`, `type`,
 * `instance`) and torii's `code` / `supportId` (top level, in `properties`, or in an
 * `{"error":{…}}` envelope). Non-JSON bodies (an HTML page from a proxy) are kept as text in
 * `body` and left out of the message. The secret key (as is, URL-encoded or JSON-escaped) is
 * replaced by `[redacted secret key]` in everything the error carries: the message, every field,
 * and every string and member name of `body`, however deep.
 */
export function toApiError(
  operation: string,
  request: { method: string; path: string },
  response: ErrorResponse,
  secretKey: string,
): ToriiApiError {
  const redact = secretRedactor(secretKey);
  const body = redact.deep(parseBody(response));
  const problem = isRecord(body) ? body : {};
  const properties = isRecord(problem.properties) ? problem.properties : {};
  const envelope = isRecord(problem.error) ? problem.error : {};
  const code = stringAt(problem.code, properties.code, envelope.code);
  const supportId = stringAt(
    problem.supportId,
    problem.support_id,
    properties.supportId,
    properties.support_id,
  );
  const title = stringAt(problem.title, redact.text(response.statusText));
  const detail = stringAt(problem.detail, envelope.message);
  const requestIdHeader = stringAt(
    response.headers.get('x-request-id'),
    response.headers.get('request-id'),
  );
  const requestId = requestIdHeader === undefined ? undefined : redact.text(requestIdHeader);

  const parts = [
    `torii: ${operation} (${request.method} ${request.path}) failed with ${response.status}`,
  ];
  if (title !== undefined) parts[0] += ` ${title}`;
  if (detail !== undefined) parts.push(detail.endsWith('.') ? detail : `${detail}.`);
  if (code !== undefined) parts.push(`Code: ${code}.`);
  const hint =
    response.status >= 300 && response.status < 400
      ? 'The API URL redirects: set apiUrl to the final URL (redirects are not followed).'
      : HINTS[response.status];
  if (hint !== undefined) parts.push(hint);
  if (supportId !== undefined) parts.push(`Support id: ${supportId}.`);
  else if (requestId !== undefined) parts.push(`Request id: ${requestId}.`);
  parts[0] += '.';
  // Every part is redacted already; once more for a key that only the joined text spells.
  const message = redact.text(parts.join(' '));

  return new ToriiApiError(message, {
    status: response.status,
    code,
    supportId,
    title,
    detail,
    type: stringAt(problem.type),
    instance: stringAt(problem.instance),
    requestId,
    body,
  });
}
