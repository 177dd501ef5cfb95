/**
 * The demo's local torii: the real `torii-dev` CLI of `@torii/testing`, started on free ports with
 * the demo's users and sessions, and `torii-dev token` for every token the demo sends.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runChild, startChild } from './children.mjs';

/** The frameworks whose apps the demo bans a user through, one user each. */
export const BAN_TARGETS = ['express', 'fastify', 'hono', 'koa', 'nest'];

/** How many users share the `@tour.example` domain, for the REST tour's paged search. */
export const TOUR_USERS = 7;

/**
 * The users and sessions `torii-dev` starts with (`--seed-file`). Order matters: the demo finds
 * them by index in what `torii-dev` prints.
 */
const SEED = {
  users: [
    { email: 'alice@example.com', name: 'Alice Admin', locale: 'en', sessions: [{}] },
    { email: 'bob@example.com', name: 'Bob Member', locale: 'da', sessions: [{}] },
    {
      email: 'eve@example.com',
      name: 'Eve Spammer',
      sessions: [{ userAgent: 'curl/8.5.0', ipAddress: '198.51.100.7' }, { userAgent: 'Firefox' }],
    },
    ...BAN_TARGETS.map((framework) => ({
      email: `troll-${framework}@example.com`,
      name: `Troll (${framework})`,
      sessions: [{}, {}],
    })),
    ...Array.from({ length: TOUR_USERS }, (_, i) => ({
      email: `user${i + 1}@tour.example`,
      // one of them has no name, for the tri-state search filter `name: null`
      name: i === 0 ? null : `Tour User ${i + 1}`,
    })),
  ],
};

/**
 * @typedef {object} ToriiDev
 * @property {string} issuer
 * @property {string} apiUrl
 * @property {string} secretKey
 * @property {{ admin: string, member: string, eve: string, banTargets: Record<string, string> }} users
 * @property {(args: string[]) => Promise<string>} token Run `torii-dev token` with these options.
 */

/**
 * Start `torii-dev` on free loopback ports with the demo's seed; resolves once it printed its
 * JSON summary.
 *
 * @returns {Promise<ToriiDev>}
 */
export async function startToriiDev() {
  const cli = toriiDevBin();
  const keySeed = `torii-demo-${randomBytes(8).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'torii-demo-'));
  const seedFile = join(dir, 'seed.json');
  await writeFile(seedFile, JSON.stringify(SEED));
  try {
    const { ready } = await startChild(
      'torii-dev',
      process.execPath,
      [
        cli,
        '--issuer-port',
        '0',
        '--api-port',
        '0',
        '--key-seed',
        keySeed,
        '--seed-file',
        seedFile,
        '--json',
      ],
      { readyPattern: /^\{.*\}$/, timeoutMs: 15_000 },
    );
    const summary = JSON.parse(ready[0]);
    /** @type {string[]} */
    const ids = summary.users.map((/** @type {{ id: string }} */ user) => user.id);
    /** @param {number} index */
    const seeded = (index) => {
      const id = ids[index];
      if (id === undefined) {
        throw new Error(`torii-dev listed ${ids.length} users, ${SEED.users.length} were seeded.`);
      }
      return id;
    };
    return {
      issuer: summary.issuer,
      apiUrl: summary.apiUrl,
      secretKey: summary.secretKey,
      users: {
        admin: seeded(0),
        member: seeded(1),
        eve: seeded(2),
        banTargets: Object.fromEntries(BAN_TARGETS.map((name, i) => [name, seeded(3 + i)])),
      },
      token: (args) =>
        runChild('torii-dev token', process.execPath, [
          cli,
          'token',
          '--issuer',
          summary.issuer,
          '--key-seed',
          keySeed,
          ...args,
        ]),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The token of `token` with its payload changed after signing: `role` set to `admin`, the
 * privilege escalation a forged token would attempt. The signature no longer matches.
 *
 * @param {string} token
 * @returns {string}
 */
export function tamper(token) {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
  claims.role = 'admin';
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

/** The built `torii-dev` executable of `@torii/testing`. */
function toriiDevBin() {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('@torii/testing/package.json');
  const pkg = require(pkgPath);
  const bin = join(dirname(pkgPath), pkg.bin['torii-dev']);
  if (!existsSync(bin)) {
    throw new Error(
      `torii-dev is not built (${bin} is missing). Run "npx pnpm@12.4.2 build" first, or use "npx pnpm@12.4.2 demo", which builds.`,
    );
  }
  return bin;
}
