// Adapter benchmark: each torii adapter in a real server against the same framework's bare route
// and against the usual JWT plugin of that framework, under four traffic patterns.
//
//   pnpm bench:adapters               (builds the workspace packages first)
//   node bench/adapters.mjs --quick   (about a minute; --help for every option)
//
// Every server (framework × bare / pass / torii / peer / floor; see VARIANTS in
// adapters/options.mjs) runs in its own Node process on 127.0.0.1:0; autocannon runs in another
// one. A local torii issuer (@torii/testing) in this process serves the JWKS on loopback: the torii adapters fetch it by issuer URL as in production; the peers are
// handed the same public key (JWK set or PEM). Runs are interleaved: for each repetition, for each
// scenario, every server in a shuffled order; each repetition starts every server in a new
// process (--reuse-servers: one process per server for the whole run). Server CPU per request
// comes from the server process's own process.cpuUsage(), read over IPC just before and after
// each run.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from './adapters/child-process.mjs';
import { FLOOR_FRAMEWORKS, readOptions, USAGE, verifies } from './adapters/options.mjs';
import { formatReport } from './adapters/report.mjs';
import { startServer } from './adapters/start-server.mjs';
import { median, shuffled } from './adapters/stats.mjs';
import { summarize } from './adapters/summary.mjs';
import { perfUnavailable, sampleTickState } from './adapters/tick-state.mjs';
import { mintTokenSets } from './adapters/tokens.mjs';
import { seededRandom } from './adapters/zipf.mjs';

const HERE = fileURLToPath(new URL('./adapters/', import.meta.url));
const PATH = '/me';

let options;
try {
  options = readOptions();
} catch (error) {
  console.error(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (options.scenarios.includes('unique') && options.unique <= 40_000) {
  console.error(
    `note: --unique ${options.unique} is not well beyond the token cache's admission window (16,384 first sightings): some (b) tokens will be cached on their way round again.`,
  );
}
const started = performance.now();
const log = (message) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

// ---- tokens and keys
log(
  `minting ${options.unique + options.users + options.invalid + 1} tokens (unique ${options.unique}, users ${options.users}, invalid ${options.invalid})`,
);
const { issuer, keys, tokens } = await mintTokenSets(options);
const workDir = mkdtempSync(join(tmpdir(), 'torii-bench-'));
const tokensFile = join(workDir, 'tokens.json');
writeFileSync(tokensFile, JSON.stringify(tokens));

const serverCpu = options.pin ? '0' : undefined;
const loadCpu = options.pin ? '1' : undefined;
const children = [];

async function cleanUp() {
  await Promise.allSettled(children.map((c) => c.stop()));
  await issuer.close();
  rmSync(workDir, { recursive: true, force: true });
}

try {
  // ---- load generator
  const load = startChild(join(HERE, 'load-child.mjs'), {
    env: { BENCH_TOKENS_FILE: tokensFile },
    cpu: loadCpu,
    label: 'load generator',
  });
  children.push(load);
  await load.once('ready');

  // ---- servers
  const peerNames = {};
  /** Starts one process per framework × variant and checks each answers as expected. */
  async function startServers(rep) {
    const list = [];
    for (const framework of options.frameworks) {
      for (const variant of options.variants) {
        if (variant === 'floor' && !FLOOR_FRAMEWORKS.includes(framework)) continue;
        const key = `${framework}:${variant}`;
        // With fresh processes every repetition writes its own profile.
        const profileName = options.fresh
          ? `${framework}-${variant}-rep${rep}.cpuprofile`
          : `${framework}-${variant}.cpuprofile`;
        const server = { framework, variant, issuer: issuer.issuer, keys, path: PATH };
        const child = startServer(server, {
          nodeArgs: options.prof.has(key)
            ? [
                '--cpu-prof',
                '--cpu-prof-dir',
                resolve(options.profDir),
                '--cpu-prof-name',
                profileName,
              ]
            : [],
          cpu: serverCpu,
        });
        children.push(child);
        const { port, peerName } = await child.once('listening');
        peerNames[framework] = peerName;
        list.push({ key, framework, variant, child, url: `http://127.0.0.1:${port}` });
      }
    }
    log(`${list.length} servers listening; checking each answers as expected`);
    await checkServers(list);
    return list;
  }

  async function stopServers(list) {
    await Promise.allSettled(list.map((server) => server.child.stop()));
    for (const server of list) children.splice(children.indexOf(server.child), 1);
  }

  /** One autocannon run against `server`; `how`: `duration` or `amount`, and a `seed`. */
  const runLoad = (server, scenario, how) =>
    load.request('run', {
      url: server.url,
      path: PATH,
      scenario,
      serverKey: server.key,
      connections: options.connections,
      ...how,
    });

  // ---- one autocannon run against one server, with its CPU cost
  async function measure(server, scenario, rep, duration) {
    const before = await server.child.request('cpu');
    const result = await runLoad(server, scenario, { seed: options.seed * 1_000 + rep, duration });
    const after = await server.child.request('cpu');
    const cpuUs = after.usage.user + after.usage.system - (before.usage.user + before.usage.system);
    return {
      rep,
      scenario,
      framework: server.framework,
      variant: server.variant,
      rps: result.requests / result.durationS,
      cpuUsPerReq: cpuUs / result.requests,
      sysUsPerReq: (after.usage.system - before.usage.system) / result.requests,
      // Page faults (the kernel mapping memory the heap touches) are part of the system time.
      minorFaultsPerReq: (after.minorFaults - before.minorFaults) / result.requests,
      serverBusy: cpuUs / (result.wallMs * 1000),
      loadBusy: result.loadCpuUs / (result.wallMs * 1000),
      rssMiB: after.rssBytes / 2 ** 20,
      ...result,
    };
  }

  // Before (c) on a torii server: every user twice (a token is cached on its second
  // verification), so its token cache holds all of them. Peers and bare routes keep no token
  // state: nothing to prime.
  async function prime(server, scenario) {
    if (scenario !== 'zipf' || server.variant !== 'torii') return;
    await runLoad(server, 'prime-users', { amount: 2 * options.users });
  }

  async function rawVerify() {
    const child = startChild(join(HERE, 'raw-verify-child.mjs'), {
      env: { BENCH_TOKENS_FILE: tokensFile, BENCH_JWK: JSON.stringify(keys.jwks.keys[0]) },
      cpu: serverCpu,
      label: 'raw verify',
    });
    return child.once('raw-verify');
  }

  // ---- warm-up: every server, every scenario (JIT, keys fetched, caches filled); no priming:
  // each measured (c) run is primed anyway.
  async function warmUp(list) {
    log(
      `warm-up: ${list.length} servers × ${options.scenarios.length} scenarios × ${options.warmup} s`,
    );
    for (const server of list) {
      for (const scenario of options.scenarios) {
        await measure(server, scenario, 0, options.warmup);
      }
    }
  }

  // ---- interleaved repetitions. With fresh processes (the default) every repetition starts,
  // checks and warms up a new process per server: what one process's JIT and memory layout make
  // of a server is sampled across repetitions instead of being fixed for the whole run.
  const samples = [];
  const rawSamples = [];
  const tickStates = [];
  const noPerf = perfUnavailable();
  if (noPerf !== null) log(`the slow nextTick state is not sampled: ${noPerf}`);
  let servers = [];
  for (let rep = 1; rep <= options.reps; rep++) {
    if (rep === 1 || options.fresh) {
      await stopServers(servers);
      servers = await startServers(rep);
      await warmUp(servers);
    }
    rawSamples.push(await rawVerify());
    log(
      `repetition ${rep}/${options.reps} (raw verify ${rawSamples.at(-1).cpuUs.toFixed(1)} µs CPU)`,
    );
    for (const [s, scenario] of options.scenarios.entries()) {
      const order = shuffled(servers, seededRandom(options.seed * 7_919 + rep * 31 + s));
      for (const server of order) {
        await prime(server, scenario);
        samples.push(await measure(server, scenario, rep, options.duration));
        // Right after its same-token run, the process's nextTick state (worth several µs a
        // request, and it can change over a process's life; see docs/PERFORMANCE.md): perf
        // samples of 1 s more of the same requests.
        if (scenario === 'same' && noPerf === null) {
          const state = await sampleTickState(server.child.pid, () =>
            runLoad(server, 'same', { duration: 1 }),
          );
          tickStates.push({ rep, framework: server.framework, variant: server.variant, ...state });
        }
      }
    }
  }

  // ---- report
  const rawVerifySummary = {
    cpuUs: median(rawSamples.map((r) => r.cpuUs)),
    wallUs: median(rawSamples.map((r) => r.wallUs)),
    samples: rawSamples.map(({ cpuUs, wallUs }) => ({ cpuUs, wallUs })),
  };
  const rows = summarize(samples, rawVerifySummary.cpuUs);
  const meta = {
    node: process.version,
    cpus: availableParallelism(),
    pinned: options.pin,
    date: new Date().toISOString(),
    reps: options.reps,
    freshProcesses: options.fresh,
    duration: options.duration,
    warmup: options.warmup,
    connections: options.connections,
    tokens: { unique: options.unique, users: options.users, invalid: options.invalid },
    frameworks: options.frameworks,
    variants: options.variants,
    scenarios: options.scenarios,
    jwksRequests: issuer.requestCount,
    totalSeconds: (performance.now() - started) / 1000,
  };
  console.log(
    formatReport({ rows, meta, rawVerify: rawVerifySummary, peerNames, samples, tickStates }),
  );
  console.log(
    `\nJWKS fetched ${issuer.requestCount} time(s) from the local issuer; total ${meta.totalSeconds.toFixed(0)} s`,
  );
  if (options.json !== undefined) {
    writeFileSync(
      options.json,
      `${JSON.stringify({ meta, rawVerify: rawVerifySummary, peerNames, rows, samples, tickStates }, null, 2)}\n`,
    );
    log(`wrote ${options.json}`);
  }
} finally {
  await cleanUp();
}

/**
 * Each server must answer a valid token with 200, and (unless bare) no token or a token with a
 * bad signature with 401: a benchmark of a server that lets everything through would mean nothing.
 */
async function checkServers(list) {
  const get = async (url, token) => {
    const response = await fetch(`${url}${PATH}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    await response.arrayBuffer();
    return response.status;
  };
  for (const server of list) {
    const expectDenied = verifies(server.variant) ? 401 : 200;
    const got = {
      valid: await get(server.url, tokens.same),
      invalid: await get(server.url, tokens.invalid[0]),
      missing: await get(server.url, undefined),
    };
    const want = { valid: 200, invalid: expectDenied, missing: expectDenied };
    for (const name of Object.keys(want)) {
      if (got[name] !== want[name]) {
        throw new Error(`${server.key}: a ${name} token got ${got[name]}, expected ${want[name]}`);
      }
    }
  }
}
