/**
 * The resources of the mock torii server API, shaped like `UserResponse` and
 * `UserSessionResponse` in `spec/server-v1.json`.
 *
 * @module
 */

/** Lifecycle status of a user. */
export type MockUserStatus = 'pending_verification' | 'active' | 'banned' | 'deleted';

/** The locales the server accepts. */
export type MockLocale = 'en' | 'da';

/** A user as the API answers it (`UserResponse`): every field present, `null` when unset. */
export interface MockUser {
  id: string;
  environmentId: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  locale: MockLocale | null;
  address: string | null;
  dateOfBirth: string | null;
  status: MockUserStatus;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** A session as the API answers it (`UserSessionResponse`). */
export interface MockSession {
  id: string;
  userId: string;
  environmentId: string;
  userAgent: string | null;
  ipAddress: string | null;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string;
}

/** Fields of {@link MockToriiApi.addUser}; anything left out gets a sensible default. */
export interface AddUserFields {
  /** @default a random UUID */
  id?: string;
  /** Another environment's id makes a user this API answers `403` for. @default the mock's */
  environmentId?: string;
  email?: string | null;
  name?: string | null;
  phone?: string | null;
  locale?: MockLocale | null;
  address?: string | null;
  /** `YYYY-MM-DD`. */
  dateOfBirth?: string | null;
  /** @default 'active' */
  status?: MockUserStatus;
  /** ISO date-time or `Date`. @default now */
  createdAt?: string | Date;
  /** @default createdAt */
  updatedAt?: string | Date;
  /** @default now when `status` is `deleted`, else null */
  deletedAt?: string | Date | null;
}

/** Fields of {@link MockToriiApi.addSession}. */
export interface AddSessionFields {
  /** @default a random UUID */
  id?: string;
  /** @default 'Mozilla/5.0 (torii-testing)' */
  userAgent?: string | null;
  /** @default '127.0.0.1' */
  ipAddress?: string | null;
  /** @default now */
  createdAt?: string | Date;
  /** @default createdAt */
  lastUsedAt?: string | Date;
  /** @default createdAt + 7 days */
  expiresAt?: string | Date;
  /** Add the session already revoked (it is then never listed). @default false */
  revoked?: boolean;
}

/** One request the mock received, for assertions. The `authorization` header is never kept. */
export interface MockRequestRecord {
  method: string;
  /** Path and query, e.g. `/api/server/v1/users/search?limit=5`. */
  path: string;
  /** The parsed JSON body, if any. */
  body: unknown;
}
