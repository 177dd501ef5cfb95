/**
 * Validation of request bodies and query parameters, with the `400` answers the server gives.
 * Unknown body members are ignored, as the server does.
 *
 * @module
 */
import { ApiProblem } from './problem.js';
import type { MockLocale, MockUserStatus } from './types.js';

/** Passwords shorter than this are refused as weak. */
export const MIN_PASSWORD_LENGTH = 8;

/** Statuses a user can have, in spec order. */
export const USER_STATUSES: readonly MockUserStatus[] = [
  'pending_verification',
  'active',
  'banned',
  'deleted',
];

/** Locales the server accepts. */
export const LOCALES: readonly MockLocale[] = ['en', 'da'];

/** A `CreateUserRequest`, validated. */
export interface CreateUserInput {
  email: string | null;
  password: string | null;
  name: string | null;
  phone: string | null;
  address: string | null;
  dateOfBirth: string | null;
}

/** An `UpdateUserRequest`, validated: absent keys are absent, `null` clears. */
export interface UpdateUserInput {
  name?: string | null;
  phone?: string | null;
  locale?: MockLocale | null;
  address?: string | null;
  dateOfBirth?: string | null;
}

/** A `ServerUserSearchRequest`, validated. */
export interface SearchInput {
  name?: string | null;
  email?: string | null;
  statuses?: MockUserStatus[];
  createdAfter?: number | null;
  createdBefore?: number | null;
}

type JsonObject = Record<string, unknown>;

/** Parse a JSON body. `required: false` turns an empty body into `{}`. */
export function parseJsonObject(text: string, required: boolean): JsonObject {
  if (text.trim() === '') {
    if (required) throw invalidBody('A JSON object body is required.');
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiProblem(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  if (value === null && !required) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidBody('The request body must be a JSON object.');
  }
  return value as JsonObject;
}

/** Validate a `CreateUserRequest`. */
export function validateCreateUser(body: JsonObject): CreateUserInput {
  const input: CreateUserInput = {
    email: optionalString(body, 'email') ?? null,
    password: optionalString(body, 'password') ?? null,
    name: optionalString(body, 'name') ?? null,
    phone: optionalString(body, 'phone') ?? null,
    address: optionalString(body, 'address') ?? null,
    dateOfBirth: optionalDate(body, 'dateOfBirth') ?? null,
  };
  if (input.email !== null) assertEmail(input.email);
  if (input.password !== null && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new ApiProblem(
      400,
      'password_too_weak',
      `password is too weak: use at least ${MIN_PASSWORD_LENGTH} characters, or omit it for a passwordless user.`,
    );
  }
  return input;
}

/** Validate an `UpdateUserRequest`, keeping the difference between absent and `null`. */
export function validateUpdateUser(body: JsonObject): UpdateUserInput {
  const input: UpdateUserInput = {};
  for (const field of ['name', 'phone', 'address'] as const) {
    if (field in body) input[field] = optionalString(body, field) ?? null;
  }
  if ('dateOfBirth' in body) input.dateOfBirth = optionalDate(body, 'dateOfBirth') ?? null;
  if ('locale' in body) {
    const locale = body.locale;
    if (locale !== null && !LOCALES.includes(locale as MockLocale)) {
      throw invalidBody(
        `locale must be one of ${LOCALES.map((l) => `"${l}"`).join(', ')} or null (got ${JSON.stringify(locale)}).`,
      );
    }
    input.locale = locale as MockLocale | null;
  }
  return input;
}

/** Validate a `ServerUserSearchRequest`. */
export function validateSearch(body: JsonObject): SearchInput {
  const input: SearchInput = {};
  if ('name' in body) input.name = optionalString(body, 'name') ?? null;
  if ('email' in body) input.email = optionalString(body, 'email') ?? null;
  if ('statuses' in body) {
    const statuses = body.statuses;
    if (!Array.isArray(statuses)) {
      throw invalidBody('statuses must be an array of user statuses; it does not accept null.');
    }
    for (const status of statuses) {
      if (!USER_STATUSES.includes(status as MockUserStatus)) {
        throw invalidBody(
          `statuses may only contain ${USER_STATUSES.join(', ')} (got ${JSON.stringify(status)}).`,
        );
      }
    }
    if (new Set(statuses).size !== statuses.length) {
      throw invalidBody('statuses must not repeat a status.');
    }
    input.statuses = statuses as MockUserStatus[];
  }
  for (const field of ['createdAfter', 'createdBefore'] as const) {
    if (!(field in body)) continue;
    const value = optionalString(body, field) ?? null;
    input[field] = value === null ? null : parseDateTime(value, field);
  }
  return input;
}

/** Validate the `limit` query parameter: an integer from 1; larger than `max` is clamped. */
export function validateLimit(raw: string | null, fallback: number, max: number): number {
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ApiProblem(
      400,
      'invalid_query',
      `limit must be a positive integer (got ${JSON.stringify(raw)}); the maximum is ${max}.`,
    );
  }
  return Math.min(Number(raw), max);
}

/**
 * `true` for a real calendar date written `YYYY-MM-DD` (proleptic Gregorian, years 0000–9999).
 * `setUTCFullYear`, unlike `Date.UTC`, does not read years 0–99 as 1900–1999.
 */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** `true` for an RFC 3339 date-time with a time zone. */
export function isDateTime(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) &&
    isIsoDate(value.slice(0, 10)) &&
    Number.isFinite(Date.parse(value))
  );
}

/**
 * A deliberately simple email check: one `@`, no spaces, a dot inside the domain. The regex has
 * one way to match (the `@` splits it); the dot is found by index, in linear time.
 */
export function isEmail(value: string): boolean {
  if (!/^[^\s@]+@[^\s@]+$/.test(value)) return false;
  const domain = value.slice(value.indexOf('@') + 1);
  const dot = domain.indexOf('.', 1);
  return dot !== -1 && dot < domain.length - 1;
}

function assertEmail(value: string): void {
  if (!isEmail(value)) {
    throw invalidBody(`email is not a valid email address (got ${JSON.stringify(value)}).`);
  }
}

function parseDateTime(value: string, field: string): number {
  if (!isDateTime(value)) {
    throw invalidBody(
      `${field} must be an ISO-8601 date-time such as 2026-01-01T00:00:00Z (got ${JSON.stringify(value)}).`,
    );
  }
  return Date.parse(value);
}

function optionalString(body: JsonObject, field: string): string | null | undefined {
  const value = body[field];
  if (value === undefined || value === null || typeof value === 'string') return value;
  throw invalidBody(`${field} must be a string or null (got ${typeof value}).`);
}

function optionalDate(body: JsonObject, field: string): string | null | undefined {
  const value = optionalString(body, field);
  if (typeof value === 'string' && !isIsoDate(value)) {
    throw invalidBody(`${field} must be a date written YYYY-MM-DD (got ${JSON.stringify(value)}).`);
  }
  return value;
}

function invalidBody(detail: string): ApiProblem {
  return new ApiProblem(400, 'invalid_body', detail);
}
