/**
 * Users and sessions to start `torii-dev` with: a small built-in demo set (`--seed`) or a JSON
 * file (`--seed-file`).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { MockToriiApi } from '../api/create-mock-torii-api.js';
import type { AddSessionFields, AddUserFields, MockUser } from '../api/types.js';

/** A user of a seed file, with its sessions. */
export interface SeedUser extends AddUserFields {
  sessions?: AddSessionFields[];
}

/**
 * The shape of a `--seed-file`.
 *
 * @example
 * ```json
 * { "users": [{ "email": "ada@example.com", "name": "Ada", "sessions": [{ "userAgent": "curl" }] }] }
 * ```
 */
export interface SeedFile {
  users: SeedUser[];
}

/** The built-in demo users of `--seed`. */
export const DEMO_SEED: SeedFile = {
  users: [
    {
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      locale: 'en',
      sessions: [{ userAgent: 'Mozilla/5.0 (Macintosh)', ipAddress: '203.0.113.42' }, {}],
    },
    { email: 'grace@example.com', name: 'Grace Hopper', locale: 'en', sessions: [{}] },
    { email: 'soren@example.dk', name: 'Søren Kierkegaard', locale: 'da' },
    { email: 'mallory@example.com', name: 'Mallory', status: 'banned' },
  ],
};

/** Read and check a seed file. */
export async function readSeedFile(path: string): Promise<SeedFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`torii-dev: cannot read seed file ${path}: ${(error as Error).message}`);
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !Array.isArray((parsed as { users?: unknown }).users)
  ) {
    throw new Error(
      `torii-dev: seed file ${path} must be a JSON object like {"users": [{"email": "ada@example.com"}]}.`,
    );
  }
  return parsed as SeedFile;
}

/** Add the users and sessions of `seed` to `api`. Returns the users added. */
export function applySeed(api: MockToriiApi, seed: SeedFile): MockUser[] {
  return seed.users.map(({ sessions, ...fields }) => {
    const user = api.addUser(fields);
    for (const session of sessions ?? []) api.addSession(user.id, session);
    return user;
  });
}
