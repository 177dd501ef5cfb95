// The load generator, in its own process (the parent pins it to another CPU with --pin): runs
// autocannon against one server at a time, on request, and reports what it measured plus its own
// CPU time (to tell when the generator, not the server, was the bottleneck).

import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { serveParent } from './child-process.mjs';
import { requestOptions } from './scenarios.mjs';

const tokens = JSON.parse(readFileSync(process.env.BENCH_TOKENS_FILE, 'utf8'));
const cursors = new Map();

function runAutocannon(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function run({ url, path, scenario, serverKey, seed, connections, duration, amount }) {
  const plan = requestOptions(scenario, tokens, { cursors, serverKey, seed });
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result = await runAutocannon({
    url: `${url}${path}`,
    connections,
    pipelining: 1,
    // autocannon checks its stop flag once per sample: the default 1 s rounds runs up to whole seconds.
    sampleInt: 50,
    ...(amount === undefined ? { duration } : { amount }),
    ...plan.options,
  });
  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: result.requests.total,
    sent: result.requests.sent,
    durationS: result.duration,
    wallMs,
    status2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    headersBuilt: plan.calls(),
    loadCpuUs: cpu.user + cpu.system,
  };
}

serveParent({ run });
process.send({ type: 'ready' });
