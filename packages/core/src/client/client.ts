/**
 * `ToriiClient`, the entry point of the torii server API.
 *
 * @module
 */
import { type ClientConfig, resolveClientConfig } from './config.js';
import { HttpClient } from './http.js';
import { ToriiSessions } from './sessions.js';
import type { ToriiClientOptions } from './types.js';
import { ToriiUsers } from './users.js';

const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom');

/** What {@link ToriiClient.toJSON} shows: the configuration, the secret key redacted. */
export interface ToriiClientSummary {
  apiUrl: string;
  secretKey: '[redacted]';
  timeoutMs: number;
  maxRetries: number;
}

/**
 * A typed, resilient client of the torii server API: users and sessions of your environments.
 * Create it once and share it; it holds no connection state of its own. Options are checked
 * here, so a missing `secretKey` (and no `TORII_SECRET_KEY`), a non-https `apiUrl` or a misspelt
 * option throws {@link ToriiConfigError} before any request. The secret key lives in a private field and never shows in `JSON.stringify`,
 * `util.inspect`, or error messages.
 *
 * @example
 * ```ts
 * import { ToriiClient } from '@torii/core';
 *
 * const torii = new ToriiClient({ secretKey: process.env.TORII_SECRET_KEY! });
 * const user = await torii.users.create({ email: 'ada@example.com' });
 * await torii.users.update(user.id, { name: 'Ada Lovelace', phone: null });
 * for await (const u of torii.users.listAll({ statuses: ['active'] })) console.log(u.email);
 * await torii.sessions.revokeAllForUser(user.id);
 * ```
 */
export class ToriiClient {
  /** Users: `list`, `listAll`, `get`, `create`, `update`, `delete`, `ban`, `unban`. */
  readonly users: ToriiUsers;
  /** Sessions: `listForUser`, `revokeAllForUser`, `revoke`. */
  readonly sessions: ToriiSessions;
  readonly #config: ClientConfig;

  /**
   * Without options (or without `secretKey`/`apiUrl`), `TORII_SECRET_KEY` and `TORII_API_URL` are
   * read from the environment.
   *
   * @throws {@link ToriiConfigError} when an option is missing, invalid or unknown.
   */
  constructor(options?: ToriiClientOptions) {
    this.#config = resolveClientConfig(options);
    const http = new HttpClient(this.#config);
    this.users = new ToriiUsers(http);
    this.sessions = new ToriiSessions(http);
  }

  /** The normalised base URL requests go to, e.g. `https://api.torii.so`. */
  get apiUrl(): string {
    return this.#config.apiUrl;
  }

  /** The configuration without the secret key, for logs. */
  toJSON(): ToriiClientSummary {
    return {
      apiUrl: this.#config.apiUrl,
      secretKey: '[redacted]',
      timeoutMs: this.#config.timeoutMs,
      maxRetries: this.#config.maxRetries,
    };
  }

  /** Node's `util.inspect` (and `console.log`) show {@link ToriiClient.toJSON}. */
  [inspectCustom](): string {
    const { apiUrl, timeoutMs, maxRetries } = this.toJSON();
    return `ToriiClient { apiUrl: '${apiUrl}', secretKey: '[redacted]', timeoutMs: ${timeoutMs}, maxRetries: ${maxRetries} }`;
  }
}
