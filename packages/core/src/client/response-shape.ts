/**
 * Light checks that a success body has the shape the types promise, so that a proxy page or an
 * incompatible server fails loudly here rather than as `undefined` deep in the caller's code.
 *
 * @module
 */
import { ToriiError } from '../errors.js';
import type { Operation } from './http.js';
import type { ToriiSession, ToriiUser, ToriiUserPage } from './types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unexpected(operation: Operation, expected: string): ToriiError {
  return new ToriiError(
    `torii: ${operation.name} (${operation.method} ${operation.path}) answered with a body that is not ${expected}. Check that apiUrl points at the torii server API.`,
  );
}

/** A user object: at least a string `id`. */
export function asUser(operation: Operation, data: unknown): ToriiUser {
  if (!isRecord(data) || typeof data.id !== 'string') throw unexpected(operation, 'a user');
  return data as unknown as ToriiUser;
}

/** A page of users; an absent `nextCursor` becomes `null`. */
export function asUserPage(operation: Operation, data: unknown): ToriiUserPage {
  if (!isRecord(data) || !Array.isArray(data.items) || typeof data.hasMore !== 'boolean') {
    throw unexpected(operation, 'a page of users ({ items, hasMore, nextCursor })');
  }
  const nextCursor = data.nextCursor;
  if (nextCursor !== undefined && nextCursor !== null && typeof nextCursor !== 'string') {
    throw unexpected(operation, 'a page of users (nextCursor must be a string or null)');
  }
  return {
    ...(data as unknown as ToriiUserPage),
    nextCursor: nextCursor ?? null,
  };
}

/** A list of sessions. */
export function asSessions(operation: Operation, data: unknown): ToriiSession[] {
  if (!Array.isArray(data)) throw unexpected(operation, 'a list of sessions');
  return data as ToriiSession[];
}
