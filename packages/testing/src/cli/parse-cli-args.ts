/**
 * Command line of `torii-dev`: `node:util` `parseArgs`, flags over environment variables over
 * defaults, every value checked with a message that says what to pass instead.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { assertLoopbackHost, assertPort } from '../http/loopback.js';
import type { TestTokenClaims } from '../issuer/create-test-issuer.js';
import { durationToSeconds } from '../issuer/duration.js';
import { DEFAULT_API_PORT, DEFAULT_ISSUER_PORT, DEFAULT_KEY_SEED } from './dev-identity.js';

/** `torii-dev` usage text. */
export const USAGE = `torii-dev — a local torii issuer and server API, no account, no network.

Usage:
  torii-dev [options]           start the issuer and the API, print URLs, secret key and a token
  torii-dev token [options]     print a fresh token for a running torii-dev and exit
  torii-dev --help

Options (both commands):
  --host <host>            loopback host: 127.0.0.1 (default), ::1 or localhost   [TORII_DEV_HOST]
  --issuer-port <port>     issuer (JWKS) port, 0 = any free port (default 4010)   [TORII_DEV_ISSUER_PORT]
  --key-seed <text>        seed of the dev signing key, environment and secret key (default torii-dev)
                                                                                  [TORII_DEV_KEY_SEED]
Start options:
  --api-port <port>        mock API port, 0 = any free port (default 4011)        [TORII_DEV_API_PORT]
  --secret-key <key>       secret key of the API (default derived from the key seed)
                                                                                  [TORII_DEV_SECRET_KEY]
  --seed                   add demo users and sessions
  --seed-file <path>       add users and sessions from a JSON file:
                           {"users": [{"email": "ada@example.com", "sessions": [{}]}]}
  --json                   print one JSON line instead of the text summary

Token options:
  --sub <id>               subject (default user_test_0001)
  --pid <id>               environment id (default the dev environment)
  --expires-in <duration>  lifetime: seconds or 30s, 15m, 2h, 7d (default 15m); negative for a token
                           that expired that long ago (--expires-in -60, -5m): verifiers allow 30 s
                           of clock skew, so go past -30
  --expired                a token that expired 10 minutes ago, to test how your app refuses it
  --claim <name=value>     extra claim, repeatable; the value is parsed as JSON when it can be
                           (--claim admin=true --claim 'roles=["a"]'), else kept as a string
  --issuer <url>           issuer URL, if torii-dev runs elsewhere (default http://host:issuer-port)

Tokens are signed with a key derived from the key seed, so "torii-dev token" needs no running
server: any torii-dev started with the same seed accepts them. Development only.`;

/** What the command line asks for. */
export type CliCommand =
  | { command: 'help' }
  | {
      command: 'start';
      host: string;
      issuerPort: number;
      apiPort: number;
      keySeed: string;
      secretKey: string | undefined;
      seedDemo: boolean;
      seedFile: string | undefined;
      json: boolean;
    }
  | {
      command: 'token';
      host: string;
      issuerPort: number;
      keySeed: string;
      issuer: string | undefined;
      /** Seconds from now; negative for a token that has already expired. */
      expiresIn: number;
      /** `--expired`: `exp` 10 minutes ago (and `expiresIn` ignored). */
      expired: boolean;
      claims: TestTokenClaims;
    };

/** A command-line mistake: print the message and the usage, exit 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** Parse `argv` (without `node` and the script) against `env`. */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliCommand {
  let parsed: ReturnType<typeof parseRaw>;
  try {
    parsed = parseRaw(argv);
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { command: 'help' };
  const [command = 'start', ...rest] = positionals;
  if (rest.length > 0 || (command !== 'start' && command !== 'token')) {
    throw new CliUsageError(
      `Unknown command: ${positionals.join(' ')}. Use "torii-dev" or "torii-dev token".`,
    );
  }

  const host = checked(() => assertLoopbackHost(values.host ?? env.TORII_DEV_HOST ?? '127.0.0.1'));
  const issuerPort = port(
    values['issuer-port'] ?? env.TORII_DEV_ISSUER_PORT,
    DEFAULT_ISSUER_PORT,
    '--issuer-port',
  );
  const keySeed = values['key-seed'] ?? env.TORII_DEV_KEY_SEED ?? DEFAULT_KEY_SEED;
  if (keySeed === '') throw new CliUsageError('--key-seed must not be empty.');

  const startOnly = ['api-port', 'secret-key', 'seed', 'seed-file', 'json'] as const;
  const tokenOnly = ['sub', 'pid', 'expires-in', 'expired', 'claim', 'issuer'] as const;
  const misplaced = (command === 'start' ? tokenOnly : startOnly).find(
    (name) => values[name] !== undefined,
  );
  if (misplaced !== undefined) {
    throw new CliUsageError(
      `--${misplaced} is not an option of "torii-dev${command === 'start' ? '' : ' token'}".`,
    );
  }

  if (command === 'start') {
    return {
      command,
      host,
      issuerPort,
      apiPort: port(values['api-port'] ?? env.TORII_DEV_API_PORT, DEFAULT_API_PORT, '--api-port'),
      keySeed,
      secretKey: values['secret-key'] ?? env.TORII_DEV_SECRET_KEY,
      seedDemo: values.seed === true,
      seedFile: values['seed-file'],
      json: values.json === true,
    };
  }

  const claims: TestTokenClaims = {};
  for (const pair of values.claim ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new CliUsageError(`--claim must be name=value (got ${JSON.stringify(pair)}).`);
    claims[pair.slice(0, at)] = claimValue(pair.slice(at + 1));
  }
  if (values.sub !== undefined) claims.sub = values.sub;
  if (values.pid !== undefined) claims.pid = values.pid;
  const expired = values.expired === true;
  if (expired && values['expires-in'] !== undefined) {
    throw new CliUsageError(
      'Give either --expired or --expires-in, not both (--expires-in -60 is expired too).',
    );
  }
  return {
    command,
    host,
    issuerPort,
    keySeed,
    issuer: values.issuer,
    expiresIn: checked(() => durationToSeconds(values['expires-in'] ?? '15m', '--expires-in')),
    expired,
    claims,
  };
}

/**
 * `--expires-in -60` as written: `parseArgs` refuses an option value that starts with a dash
 * (it could be a forgotten value followed by another flag), so a negative duration right after
 * `--expires-in` is joined to it first, as `--expires-in=-60`.
 */
function joinNegativeDurations(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg === '--expires-in' && next !== undefined && /^-\d/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else {
      args.push(arg);
    }
  }
  return args;
}

function parseRaw(argv: readonly string[]) {
  return parseArgs({
    args: joinNegativeDurations(argv),
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      host: { type: 'string' },
      'issuer-port': { type: 'string' },
      'api-port': { type: 'string' },
      'key-seed': { type: 'string' },
      'secret-key': { type: 'string' },
      seed: { type: 'boolean' },
      'seed-file': { type: 'string' },
      json: { type: 'boolean' },
      sub: { type: 'string' },
      pid: { type: 'string' },
      'expires-in': { type: 'string' },
      expired: { type: 'boolean' },
      claim: { type: 'string', multiple: true },
      issuer: { type: 'string' },
    },
  });
}

function port(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw))
    throw new CliUsageError(
      `${name} must be a port number from 0 to 65535 (got ${JSON.stringify(raw)}).`,
    );
  return checked(() => assertPort(Number(raw), name));
}

function claimValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function checked<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new CliUsageError((error as Error).message.replace(/^torii testing: /, ''));
  }
}
