/**
 * Building request paths from caller-given ids.
 *
 * @module
 */
import { ToriiError } from '../errors.js';

/**
 * Encodes one path segment with `encodeURIComponent`. The id's format is never validated (torii
 * ids may be uuids or `user_abc`-style), but an empty id and the dot segments `.` and `..` are
 * refused: URL parsers resolve them (even percent-encoded), which would send the request to
 * another endpoint.
 */
export function pathSegment(operation: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new ToriiError(
      `torii: ${operation}: ${name} must be a non-empty string (got ${value === '' ? 'an empty string' : typeof value}).`,
    );
  }
  if (value === '.' || value === '..') {
    throw new ToriiError(
      `torii: ${operation}: ${name} must not be "." or ".."; such an id would change the request path.`,
    );
  }
  return encodeURIComponent(value);
}
