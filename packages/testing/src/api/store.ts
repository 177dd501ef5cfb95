/**
 * The in-memory state of the mock server API and every operation on it, with the server's
 * semantics: environment scoping, soft delete, bans that revoke sessions, stable cursors.
 * Operations throw {@link ApiProblem}; the handler writes them out.
 *
 * @module
 */
import { ApiProblem } from './problem.js';
import type { AddSessionFields, AddUserFields, MockSession, MockUser } from './types.js';
import {
  type CreateUserInput,
  isDateTime,
  isEmail,
  isIsoDate,
  LOCALES,
  type SearchInput,
  type UpdateUserInput,
  USER_STATUSES,
} from './validate-input.js';

/** How long a session added without `expiresAt` lives. */
const SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;

interface UserRecord extends MockUser {
  /** Insertion order: the tie-breaker of the stable sort. */
  seq: number;
}

interface SessionRecord extends MockSession {
  seq: number;
  revokedAt: string | null;
}

/** A page of users. */
export interface UserPage {
  items: MockUser[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** The mock's state: users and sessions of one environment (and foreign ones, for 403s). */
export class MockStore {
  private users = new Map<string, UserRecord>();
  private sessions = new Map<string, SessionRecord>();
  private seq = 0;

  constructor(readonly environmentId: string) {}

  /** Forget every user and session. */
  clear(): void {
    this.users.clear();
    this.sessions.clear();
  }

  // ---- test helpers -------------------------------------------------------------------------

  /** Put a user straight into the store (no HTTP, no secret key). */
  addUser(fields: AddUserFields = {}): MockUser {
    const now = new Date().toISOString();
    const id = fields.id ?? crypto.randomUUID();
    if (this.users.has(id))
      throw new TypeError(`torii testing: a user with id ${id} already exists.`);
    const environmentId = fields.environmentId ?? this.environmentId;
    const email = fields.email ?? null;
    if (email !== null) {
      if (!isEmail(email))
        throw new TypeError(
          `torii testing: addUser email ${JSON.stringify(email)} is not an email address.`,
        );
      if (this.findByEmail(environmentId, email) !== undefined) {
        throw new TypeError(
          `torii testing: addUser email ${email} is already taken in environment ${environmentId}.`,
        );
      }
    }
    const status = fields.status ?? 'active';
    if (!USER_STATUSES.includes(status))
      throw new TypeError(`torii testing: unknown user status ${JSON.stringify(status)}.`);
    const locale = fields.locale ?? null;
    if (locale !== null && !LOCALES.includes(locale))
      throw new TypeError(
        `torii testing: unknown locale ${JSON.stringify(locale)}; use en, da or null.`,
      );
    const dateOfBirth = fields.dateOfBirth ?? null;
    if (dateOfBirth !== null && !isIsoDate(dateOfBirth))
      throw new TypeError(
        `torii testing: dateOfBirth must be YYYY-MM-DD (got ${JSON.stringify(dateOfBirth)}).`,
      );
    const createdAt = toIso(fields.createdAt, now, 'createdAt');
    const record: UserRecord = {
      id,
      environmentId,
      email,
      name: fields.name ?? null,
      phone: fields.phone ?? null,
      locale,
      address: fields.address ?? null,
      dateOfBirth,
      status,
      createdAt,
      updatedAt: toIso(fields.updatedAt, createdAt, 'updatedAt'),
      deletedAt:
        fields.deletedAt === null
          ? null
          : toIso(fields.deletedAt, status === 'deleted' ? now : null, 'deletedAt'),
      seq: this.seq++,
    };
    this.users.set(id, record);
    return toUser(record);
  }

  /** Put a session straight into the store. */
  addSession(userId: string, fields: AddSessionFields = {}): MockSession {
    const user = this.users.get(userId);
    if (user === undefined) {
      throw new TypeError(
        `torii testing: addSession: no user with id ${userId}. Call addUser first.`,
      );
    }
    const id = fields.id ?? crypto.randomUUID();
    if (this.sessions.has(id))
      throw new TypeError(`torii testing: a session with id ${id} already exists.`);
    const now = new Date().toISOString();
    const createdAt = toIso(fields.createdAt, now, 'createdAt');
    const record: SessionRecord = {
      id,
      userId,
      environmentId: user.environmentId,
      userAgent: fields.userAgent === undefined ? 'Mozilla/5.0 (torii-testing)' : fields.userAgent,
      ipAddress: fields.ipAddress === undefined ? '127.0.0.1' : fields.ipAddress,
      createdAt,
      expiresAt: toIso(
        fields.expiresAt,
        new Date(Date.parse(createdAt) + SESSION_LIFETIME_MS).toISOString(),
        'expiresAt',
      ),
      lastUsedAt: toIso(fields.lastUsedAt, createdAt, 'lastUsedAt'),
      seq: this.seq++,
      revokedAt: fields.revoked === true ? now : null,
    };
    this.sessions.set(id, record);
    return toSession(record);
  }

  /** Every stored user of every environment, deleted ones included, in creation order. */
  allUsers(): MockUser[] {
    return this.sorted([...this.users.values()]).map(toUser);
  }

  /** Every stored session of a user, revoked and expired ones included. */
  allSessions(userId: string): Array<MockSession & { revokedAt: string | null }> {
    return [...this.sessions.values()]
      .filter((session) => session.userId === userId)
      .map((session) => ({ ...toSession(session), revokedAt: session.revokedAt }));
  }

  // ---- operations of spec/server-v1.json ----------------------------------------------------

  /** `createUser`: 201, or 409 when the email is taken (case-insensitive) in this environment. */
  createUser(input: CreateUserInput): MockUser {
    if (input.email !== null && this.findByEmail(this.environmentId, input.email) !== undefined) {
      throw new ApiProblem(
        409,
        'email_taken',
        'Another user with this email already exists in the environment. Use a different email, or update the existing user.',
      );
    }
    // The password is validated (length) but not stored: the mock has no sign-in.
    return this.addUser({
      email: input.email,
      name: input.name,
      phone: input.phone,
      address: input.address,
      dateOfBirth: input.dateOfBirth,
    });
  }

  /** `getUser`. */
  getUser(userId: string): MockUser {
    return toUser(this.reachableUser(userId));
  }

  /** `updateUser`: tri-state PATCH. */
  updateUser(userId: string, patch: UpdateUserInput): MockUser {
    const user = this.reachableUser(userId);
    let changed = false;
    for (const [field, value] of Object.entries(patch) as Array<
      [keyof UpdateUserInput, string | null]
    >) {
      if (value === undefined) continue;
      (user as unknown as Record<string, unknown>)[field] = value;
      changed = true;
    }
    if (changed) user.updatedAt = new Date().toISOString();
    return toUser(user);
  }

  /** `deleteUser`: soft delete; the user's sessions end. A second delete answers 403. */
  deleteUser(userId: string): void {
    const user = this.reachableUser(userId);
    const now = new Date().toISOString();
    user.status = 'deleted';
    user.deletedAt = now;
    user.updatedAt = now;
    this.revokeSessionsOf(userId);
  }

  /** `banUser`: status `banned`, every active session revoked. */
  banUser(userId: string): MockUser {
    const user = this.reachableUser(userId);
    if (user.status !== 'banned') {
      user.status = 'banned';
      user.updatedAt = new Date().toISOString();
    }
    this.revokeSessionsOf(userId);
    return toUser(user);
  }

  /** `unbanUser`: a banned user becomes `active`; any other user is answered unchanged. */
  unbanUser(userId: string): MockUser {
    const user = this.reachableUser(userId);
    if (user.status === 'banned') {
      user.status = 'active';
      user.updatedAt = new Date().toISOString();
    }
    return toUser(user);
  }

  /** `searchUsers`: filters, then a page after `cursor` in stable (createdAt, insertion) order. */
  searchUsers(filters: SearchInput, limit: number, cursor: string | null): UserPage {
    const own = this.sorted(
      [...this.users.values()].filter((u) => u.environmentId === this.environmentId),
    );
    let start = 0;
    if (cursor !== null) {
      const after = this.users.get(cursor);
      if (after === undefined || after.environmentId !== this.environmentId) {
        throw new ApiProblem(
          400,
          'invalid_cursor',
          'cursor is not a cursor this API returned. Pass nextCursor from the previous page unchanged, or omit it for the first page.',
        );
      }
      start = own.findIndex((u) => compareUsers(u, after) > 0);
      if (start === -1) start = own.length;
    }
    const matching = own.slice(start).filter((user) => matches(user, filters));
    const items = matching.slice(0, limit);
    const hasMore = matching.length > limit;
    const last = items.at(-1);
    return {
      items: items.map(toUser),
      nextCursor: hasMore && last !== undefined ? last.id : null,
      hasMore,
    };
  }

  /** `listSessions`: active sessions only, most recently used first. */
  listSessions(userId: string): MockSession[] {
    if (!this.users.has(userId)) return [];
    this.reachableUser(userId);
    const now = Date.now();
    return [...this.sessions.values()]
      .filter((s) => s.userId === userId && s.revokedAt === null && Date.parse(s.expiresAt) > now)
      .sort((a, b) => Date.parse(b.lastUsedAt) - Date.parse(a.lastUsedAt) || b.seq - a.seq)
      .map(toSession);
  }

  /** `revokeAllSessions`: idempotent. */
  revokeAllSessions(userId: string): void {
    if (!this.users.has(userId)) return;
    this.reachableUser(userId);
    this.revokeSessionsOf(userId);
  }

  /** `revokeSession`: idempotent; 403 when the session is another user's or environment's. */
  revokeSession(userId: string, sessionId: string): void {
    if (this.users.has(userId)) this.reachableUser(userId);
    const session = this.sessions.get(sessionId);
    if (session === undefined) return;
    if (session.environmentId !== this.environmentId) throw environmentMismatch('session');
    if (session.userId !== userId) {
      throw new ApiProblem(
        403,
        'session_not_owned',
        `Session ${sessionId} does not belong to user ${userId}. Use the id of the user who owns the session.`,
      );
    }
    session.revokedAt ??= new Date().toISOString();
  }

  // ---- internals ----------------------------------------------------------------------------

  /** A user this API may act on: 404 unknown, 403 other environment, 403 deleted. */
  private reachableUser(userId: string): UserRecord {
    const user = this.users.get(userId);
    if (user === undefined) {
      throw new ApiProblem(404, 'user_not_found', `No user with id ${userId}. Check the id.`);
    }
    if (user.environmentId !== this.environmentId) throw environmentMismatch('user');
    if (user.status === 'deleted') {
      throw new ApiProblem(
        403,
        'user_deleted',
        `User ${userId} is deleted; the server no longer grants access to it. A 403 after a retried DELETE means the first delete landed.`,
      );
    }
    return user;
  }

  private revokeSessionsOf(userId: string): void {
    const now = new Date().toISOString();
    for (const session of this.sessions.values()) {
      if (session.userId === userId) session.revokedAt ??= now;
    }
  }

  private findByEmail(environmentId: string, email: string): UserRecord | undefined {
    const wanted = email.toLowerCase();
    for (const user of this.users.values()) {
      if (
        user.environmentId === environmentId &&
        user.status !== 'deleted' &&
        user.email?.toLowerCase() === wanted
      ) {
        return user;
      }
    }
    return undefined;
  }

  private sorted(users: UserRecord[]): UserRecord[] {
    return users.sort(compareUsers);
  }
}

function compareUsers(a: UserRecord, b: UserRecord): number {
  return Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.seq - b.seq;
}

function matches(user: UserRecord, filters: SearchInput): boolean {
  if (filters.statuses === undefined) {
    if (user.status === 'deleted') return false;
  } else if (!filters.statuses.includes(user.status)) {
    return false;
  }
  if (!matchesText(user.name, filters.name)) return false;
  if (!matchesText(user.email, filters.email)) return false;
  const created = Date.parse(user.createdAt);
  if (typeof filters.createdAfter === 'number' && created < filters.createdAfter) return false;
  if (typeof filters.createdBefore === 'number' && created > filters.createdBefore) return false;
  return true;
}

/** Tri-state text filter: absent skips, `null` requires null, a string is a substring match. */
function matchesText(value: string | null, filter: string | null | undefined): boolean {
  if (filter === undefined) return true;
  if (filter === null) return value === null;
  return value?.toLowerCase().includes(filter.toLowerCase()) === true;
}

function environmentMismatch(what: 'user' | 'session'): ApiProblem {
  return new ApiProblem(
    403,
    'environment_mismatch',
    `This ${what} belongs to a different environment than your secret key. Use the secret key of that environment.`,
  );
}

function toIso(value: string | Date | undefined, fallback: string, field: string): string;
function toIso(
  value: string | Date | undefined,
  fallback: string | null,
  field: string,
): string | null;
function toIso(
  value: string | Date | undefined,
  fallback: string | null,
  field: string,
): string | null {
  if (value === undefined) return fallback;
  if (!(value instanceof Date) && !isDateTime(value)) {
    throw new TypeError(
      `torii testing: ${field} must be an ISO date-time or a Date (got ${JSON.stringify(value)}).`,
    );
  }
  const iso = new Date(value).toISOString();
  // `0000-01-01T00:00:00+01:00` is a year -1 instant in UTC, which no RFC 3339 date-time can carry.
  if (iso.startsWith('-') || iso.startsWith('+')) {
    throw new TypeError(
      `torii testing: ${field} must fall between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in UTC (got ${JSON.stringify(value)}).`,
    );
  }
  return iso;
}

function toUser(record: UserRecord): MockUser {
  return {
    id: record.id,
    environmentId: record.environmentId,
    email: record.email,
    name: record.name,
    phone: record.phone,
    locale: record.locale,
    address: record.address,
    dateOfBirth: record.dateOfBirth,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    deletedAt: record.deletedAt,
  };
}

function toSession(record: SessionRecord): MockSession {
  return {
    id: record.id,
    userId: record.userId,
    environmentId: record.environmentId,
    userAgent: record.userAgent,
    ipAddress: record.ipAddress,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    lastUsedAt: record.lastUsedAt,
  };
}
