/**
 * The demo's misconfigured run: the example apps started against a wrong issuer (a loopback port
 * where nothing listens), with `TORII_DEBUG=1`, and what the operator sees — in detail for Express
 * (the one warning at startup, `/health` answering 503 with the reason, a request answered 503 with
 * its debug line), then one line per framework: its startup warning and its `/health`.
 *
 * @module
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startChild } from './children.mjs';
import { check, mark } from './report.mjs';

/**
 * A loopback URL where nothing listens: a port taken from the OS and given back.
 *
 * @returns {Promise<string>}
 */
async function wrongIssuer() {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = /** @type {import('node:net').AddressInfo} */ (probe.address());
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${address.port}`;
}

/**
 * The lines of `text` that torii wrote (they start with `torii:`).
 *
 * @param {string} text
 * @returns {string[]}
 */
function toriiLines(text) {
  return text.split('\n').filter((line) => line.startsWith('torii:'));
}

/**
 * Print `line` wrapped at word boundaries to fit the screen, indented.
 *
 * @param {string} line
 * @param {string} indent
 */
function printWrapped(line, indent = '    ') {
  const width = 100;
  let current = '';
  for (const word of line.split(' ')) {
    if (current !== '' && current.length + word.length + 1 > width) {
      console.log(`${indent}${current}`);
      current = '  ';
    }
    current += current.trim() === '' ? word : ` ${word}`;
  }
  if (current.trim() !== '') console.log(`${indent}${current}`);
}

/** What every framework's startup warning contains, whatever its logger's format. */
const STARTUP_WARNING = "torii: cannot fetch the issuer's key set from";

/**
 * Start `example-<framework>` against `issuer`.
 *
 * @param {string} examples
 * @param {string} framework
 * @param {string} issuer
 * @param {{ secretKey: string, apiUrl: string }} dev
 */
function startMisconfigured(examples, framework, issuer, dev) {
  return startChild(
    `example-${framework} (misconfigured)`,
    process.execPath,
    ['--import', 'tsx', 'src/main.ts'],
    {
      cwd: join(examples, framework),
      env: {
        ...process.env,
        TORII_ISSUER: issuer,
        TORII_SECRET_KEY: dev.secretKey,
        TORII_API_URL: dev.apiUrl,
        TORII_DEBUG: '1',
        PORT: '0',
      },
      readyPattern: /^listening on (http:\/\/127\.0\.0\.1:\d+)$/,
    },
  );
}

/**
 * Start every example against a wrong issuer and show what the operator sees.
 *
 * @param {string} examples the examples folder
 * @param {string[]} frameworks the examples to start; the first one is shown in detail
 * @param {{ secretKey: string, apiUrl: string }} dev
 * @param {string} token a valid token of the real (local) issuer
 */
export async function runMisconfigured(examples, frameworks, dev, token) {
  const issuer = await wrongIssuer();
  const [detailed = 'express', ...others] = frameworks;
  console.log(
    `every example started with TORII_ISSUER=${issuer} (nothing listens there) and TORII_DEBUG=1\n`,
  );
  const apps = await Promise.all(
    [detailed, ...others].map((framework) => startMisconfigured(examples, framework, issuer, dev)),
  );
  const [app] = apps;
  if (app === undefined) return;
  const url = app.ready[1] ?? '';
  console.log(`example-${detailed}:`);
  const atStart = toriiLines(app.output());
  console.log('  the app printed at startup:');
  for (const line of atStart) printWrapped(line);

  const health = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(10_000) });
  const body = await health.json();
  const lastError = body?.torii?.keys?.lastError?.message ?? '';
  console.log(`\n  GET /health           → ${health.status} ready: ${body?.torii?.ready}`);
  printWrapped(`lastError: ${lastError}`, '                          ');

  const me = await fetch(new URL('/me', url), {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  });
  const denied = await me.json();
  console.log(
    `  GET /me (valid token) → ${me.status} ${denied?.error?.code}, retry-after: ${me.headers.get('retry-after')}`,
  );
  // Let the app's debug line reach its output.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const afterRequest = toriiLines(app.output()).slice(atStart.length);
  for (const line of afterRequest) printWrapped(line);

  const warnings = atStart.filter((line) => line.startsWith("torii: cannot fetch the issuer's"));
  const ok = [
    check(
      warnings.length === 1 && warnings[0]?.includes(issuer) === true,
      'misconfigured: one startup warning naming the issuer',
      `got ${JSON.stringify(atStart)}`,
    ),
    check(
      health.status === 503 && body?.torii?.ready === false && lastError.includes(issuer),
      'misconfigured: /health is 503 with the reason',
      `got ${health.status} ${JSON.stringify(body)}`,
    ),
    check(
      me.status === 503 && denied?.error?.code === 'verification_unavailable',
      'misconfigured: a request is 503 verification_unavailable',
      `got ${me.status}`,
    ),
    check(
      afterRequest.some((line) => line.startsWith('torii: denied 503 jwks_unavailable')),
      'misconfigured: the denial is a debug line',
      `got ${JSON.stringify(afterRequest)}`,
    ),
  ].every(Boolean);
  console.log('\n  every framework, started the same way:');
  let all = ok;
  for (const [i, started] of apps.entries()) {
    const framework = [detailed, ...others][i] ?? '';
    const warnings = started
      .output()
      .split('\n')
      .filter((line) => line.includes(STARTUP_WARNING));
    const res = await fetch(new URL('/health', started.ready[1] ?? ''), {
      signal: AbortSignal.timeout(10_000),
    });
    const health = await res.json();
    const good =
      check(
        warnings.length === 1 && warnings[0]?.includes(issuer) === true,
        `misconfigured ${framework}: one startup warning naming the issuer`,
        `got ${warnings.length}`,
      ) &&
      check(
        res.status === 503 && health?.torii?.ready === false,
        `misconfigured ${framework}: /health is 503`,
        `got ${res.status}`,
      );
    all = all && good;
    console.log(
      `    ${mark(good)} ${framework.padEnd(8)} ${warnings.length} startup warning (${loggerOf(warnings[0] ?? '')}), GET /health → ${res.status} ready: ${health?.torii?.ready}`,
    );
  }
  console.log(
    `\n  ${mark(all)} the misconfiguration explains itself: one warning, /health says why, requests get 503 (not 401)`,
  );
  for (const started of apps) started.child.kill('SIGTERM');
}

/**
 * Which logger wrote a line: Fastify's pino (JSON), Nest's Logger, or the console.
 *
 * @param {string} line
 */
function loggerOf(line) {
  if (line.startsWith('{')) return 'pino, through Fastify';
  if (line.includes('[Torii]')) return "Nest's Logger";
  return 'console';
}
