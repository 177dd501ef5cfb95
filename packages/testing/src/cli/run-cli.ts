/**
 * What `torii-dev` does once its arguments are parsed: start and print, or mint and print.
 * Output and signals come in as parameters so tests can drive it.
 *
 * @module
 */

import { mintDevToken } from './mint-dev-token.js';
import { CliUsageError, parseCliArgs, USAGE } from './parse-cli-args.js';
import { DEMO_SEED, readSeedFile, type SeedFile } from './seed-data.js';
import { startToriiDev, type ToriiDev } from './start-torii-dev.js';

/** Where the CLI writes and how it learns it should stop. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Called once with a function that stops the servers (wire it to SIGINT/SIGTERM). */
  onShutdown: (stop: (signal: string) => Promise<void>) => void;
}

/** Run `torii-dev` with `argv`. Resolves to the exit code (start resolves once running: 0). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: ReturnType<typeof parseCliArgs>;
  try {
    command = parseCliArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.stderr(`torii-dev: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }

  if (command.command === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }

  if (command.command === 'token') {
    const token = await mintDevToken({
      host: command.host,
      issuerPort: command.issuerPort,
      keySeed: command.keySeed,
      expiresIn: command.expiresIn,
      expired: command.expired,
      claims: command.claims,
      ...(command.issuer === undefined ? {} : { issuer: command.issuer }),
    });
    io.stdout(`${token}\n`);
    return 0;
  }

  const seed: SeedFile = { users: [] };
  if (command.seedDemo) seed.users.push(...DEMO_SEED.users);
  let dev: ToriiDev;
  try {
    if (command.seedFile !== undefined) {
      seed.users.push(...(await readSeedFile(command.seedFile)).users);
    }
    dev = await startToriiDev({
      host: command.host,
      issuerPort: command.issuerPort,
      apiPort: command.apiPort,
      keySeed: command.keySeed,
      ...(command.secretKey === undefined ? {} : { secretKey: command.secretKey }),
      seed,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint =
      code === 'EADDRINUSE'
        ? ' A port is in use: is torii-dev already running? Pick others with --issuer-port / --api-port (0 = any free port).'
        : '';
    const message = (error as Error).message.replace(/^torii(?:-dev| testing): /, '');
    io.stderr(
      `torii-dev: could not start: ${message}${/[.!?]$/.test(message) ? '' : '.'}${hint}\n`,
    );
    return 1;
  }

  const token = await dev.issuer.sign();
  const summary = {
    issuer: dev.issuer.issuer,
    jwksUrl: dev.issuer.jwksUrl,
    apiUrl: dev.api.url,
    secretKey: dev.api.secretKey,
    environmentId: dev.api.environmentId,
    token,
    users: dev.seededUsers.map((user) => ({ id: user.id, email: user.email, status: user.status })),
  };
  const exportLine = `export TORII_ISSUER=${summary.issuer} TORII_API_URL=${summary.apiUrl} TORII_SECRET_KEY=${summary.secretKey}`;
  if (command.json) {
    io.stdout(`${JSON.stringify({ ...summary, export: exportLine })}\n`);
  } else {
    const lines = [
      'torii-dev is running. Stop it with Ctrl+C.',
      '',
      `  Issuer       ${summary.issuer}`,
      `  JWKS         ${summary.jwksUrl}`,
      `  API URL      ${summary.apiUrl}`,
      `  Secret key   ${summary.secretKey}`,
      `  Environment  ${summary.environmentId}`,
      ...summary.users.map(
        (user, i) =>
          `  ${i === 0 ? 'Users' : '     '}        ${user.id}  ${user.email ?? '(no email)'}  ${user.status}`,
      ),
      '',
      'A token (sub user_test_0001, valid 15 minutes; more with "torii-dev token --sub <id>"):',
      '',
      token,
      '',
      exportLine,
      '',
    ];
    io.stdout(lines.join('\n'));
  }

  io.onShutdown(async (signal) => {
    await dev.close();
    io.stderr(`torii-dev: stopped (${signal}).\n`);
  });
  return 0;
}
