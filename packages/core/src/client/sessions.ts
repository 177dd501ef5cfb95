/**
 * `torii.sessions`: list and revoke the sessions of end users.
 *
 * @module
 */
import type { HttpClient, Operation } from './http.js';
import { pathSegment } from './path.js';
import { asSessions } from './response-shape.js';
import type { RequestOptions, ToriiSession } from './types.js';

const USERS = '/api/server/v1/users';

/** Operations on sessions. Reach it as `torii.sessions`. */
export class ToriiSessions {
  readonly #http: HttpClient;

  /** @internal Built by {@link ToriiClient}. */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * The user's active sessions, most recently used first
   * (`GET /api/server/v1/users/{userId}/sessions`).
   *
   * @example
   * ```ts
   * const sessions = await torii.sessions.listForUser(userId);
   * ```
   */
  async listForUser(userId: string, options?: RequestOptions): Promise<ToriiSession[]> {
    const operation: Operation = {
      name: 'sessions.listForUser',
      method: 'GET',
      path: `${USERS}/${pathSegment('sessions.listForUser', 'userId', userId)}/sessions`,
      idempotent: true,
    };
    return asSessions(operation, (await this.#http.request(operation, options)).data);
  }

  /**
   * Revokes every active session of the user at once; idempotent
   * (`DELETE /api/server/v1/users/{userId}/sessions`).
   *
   * @example
   * ```ts
   * await torii.sessions.revokeAllForUser(userId); // sign the user out everywhere
   * ```
   */
  async revokeAllForUser(userId: string, options?: RequestOptions): Promise<void> {
    await this.#http.request(
      {
        name: 'sessions.revokeAllForUser',
        method: 'DELETE',
        path: `${USERS}/${pathSegment('sessions.revokeAllForUser', 'userId', userId)}/sessions`,
        idempotent: true,
      },
      options,
    );
  }

  /**
   * Revokes one session; idempotent, also for a session already revoked or expired
   * (`DELETE /api/server/v1/users/{userId}/sessions/{sessionId}`).
   *
   * @example
   * ```ts
   * await torii.sessions.revoke(userId, sessionId);
   * ```
   */
  async revoke(userId: string, sessionId: string, options?: RequestOptions): Promise<void> {
    const user = pathSegment('sessions.revoke', 'userId', userId);
    const session = pathSegment('sessions.revoke', 'sessionId', sessionId);
    await this.#http.request(
      {
        name: 'sessions.revoke',
        method: 'DELETE',
        path: `${USERS}/${user}/sessions/${session}`,
        idempotent: true,
      },
      options,
    );
  }
}
