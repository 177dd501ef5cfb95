/**
 * `pnpm demo`: the whole SDK on one screen, on a local torii, in a few seconds.
 *
 * 1. starts `torii-dev` (a local issuer and mock server API) with a few users and sessions;
 * 2. starts the five example apps (Express, Fastify, Hono, Koa, NestJS), each on a free port;
 * 3. sends each app the same requests — no token, a valid, an expired and a tampered token, a
 *    non-admin and an admin on the admin routes — and prints framework × scenario → status ✓/✗;
 * 4. drives `ToriiClient` end to end against the mock API;
 * 5. starts the apps again against a wrong issuer and shows what the operator sees (one warning,
 *    `/health` 503 with the reason, 503s with debug lines);
 * 6. stops every process it started and exits non-zero if anything differed from what is expected.
 *
 * Run from the repository root: `npx pnpm@12.4.2 demo` (builds first), or `node examples/demo/run.mjs`
 * once the packages are built.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runningPids, startChild, stopAll } from './children.mjs';
import { runScenarios, SCENARIOS } from './http-scenarios.mjs';
import { runMisconfigured } from './misconfigured.mjs';
import { check, failed, mark, printTable } from './report.mjs';
import { runRestClientTour } from './rest-client-tour.mjs';
import { startToriiDev, tamper } from './torii-dev.mjs';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..');
const FRAMEWORKS = ['express', 'fastify', 'hono', 'koa', 'nest'];

const started = performance.now();
/** @type {string[]} */
const timings = [];
/**
 * Time one phase; its duration goes into the closing line.
 *
 * @template T
 * @param {string} name
 * @param {() => Promise<T>} body
 * @returns {Promise<T>}
 */
async function phase(name, body) {
  const t0 = performance.now();
  try {
    return await body();
  } finally {
    timings.push(`${name} ${seconds(performance.now() - t0)}`);
  }
}

let stopping = false;
/**
 * Stop every child, check none is left, print the verdict, exit.
 *
 * @param {number} code
 */
async function finish(code) {
  if (stopping) return;
  stopping = true;
  /** @type {number[]} */
  const pids = [];
  await phase('shutdown', async () => {
    pids.push(...runningPids());
    await stopAll();
  });
  const orphans = pids.filter(isAlive);
  check(orphans.length === 0, 'shutdown', `still running: ${orphans.join(', ')}`);
  console.log(
    `\n${mark(orphans.length === 0)} stopped ${pids.length} processes, none left running`,
  );
  console.log(`time: ${timings.join(', ')}; total ${seconds(performance.now() - started)}`);
  const problems = failed();
  if (problems.length > 0) {
    console.log(`\n✗ ${problems.length} check(s) failed:`);
    for (const problem of problems) console.log(`  - ${problem}`);
  } else if (code === 0) {
    console.log('\n✓ everything as expected');
  }
  process.exit(code !== 0 ? code : problems.length > 0 ? 1 : 0);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping`);
    void finish(signal === 'SIGINT' ? 130 : 143);
  });
}

try {
  console.log('torii for Node: demo\n');
  const dev = await phase('torii-dev', startToriiDev);
  console.log(`torii-dev   issuer ${dev.issuer}   API ${dev.apiUrl}`);

  const env = {
    ...process.env,
    TORII_ISSUER: dev.issuer,
    TORII_SECRET_KEY: dev.secretKey,
    TORII_API_URL: dev.apiUrl,
    PORT: '0',
  };
  const [apps, tokens] = await phase('start apps + tokens', () =>
    Promise.all([
      Promise.all(
        FRAMEWORKS.map(async (framework) => {
          const { ready } = await startChild(
            `example-${framework}`,
            process.execPath,
            ['--import', 'tsx', 'src/main.ts'],
            {
              cwd: join(EXAMPLES, framework),
              env,
              readyPattern: /^listening on (http:\/\/127\.0\.0\.1:\d+)$/,
            },
          );
          return {
            framework,
            url: ready[1] ?? '',
            banTarget: dev.users.banTargets[framework] ?? '',
          };
        }),
      ),
      mintTokens(dev),
    ]),
  );
  for (const app of apps) console.log(`${app.framework.padEnd(10)}  ${app.url}`);

  console.log('\nGET /health, GET /me, GET /admin/users, POST /admin/users/:id/ban → status\n');
  const rows = await phase('requests', async () => {
    const cells = await Promise.all(apps.map((app) => runScenarios(app, tokens)));
    return new Map(apps.map((app, i) => [app.framework, cells[i] ?? []]));
  });
  printTable(SCENARIOS, rows);
  for (const [framework, cells] of rows) {
    cells.forEach((cell, i) => {
      check(cell.ok, `${framework} × ${SCENARIOS[i]?.name}`, cell.problem ?? '');
    });
  }

  console.log('\nToriiClient → torii-dev API\n');
  await phase('REST client', () => runRestClientTour(dev));

  console.log('\nA misconfigured start: what the operator sees\n');
  await phase('misconfigured', () => runMisconfigured(EXAMPLES, FRAMEWORKS, dev, tokens.user));
  await finish(0);
} catch (err) {
  if (!stopping) {
    console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
    await finish(1);
  }
}

/**
 * Every token the table needs, minted by `torii-dev token` in parallel.
 *
 * @param {import('./torii-dev.mjs').ToriiDev} dev
 * @returns {Promise<import('./http-scenarios.mjs').Tokens>}
 */
async function mintTokens(dev) {
  const [user, admin, expired] = await Promise.all([
    dev.token(['--sub', dev.users.member, '--claim', 'role=member']),
    dev.token(['--sub', dev.users.admin, '--claim', 'role=admin']),
    dev.token(['--sub', dev.users.member, '--expires-in=-10m']),
  ]);
  return { user, userId: dev.users.member, admin, expired, tampered: tamper(user) };
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** @param {number} ms */
function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
