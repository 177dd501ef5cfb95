// One benchmarked server in its own process. Configuration comes in BENCH_SERVER (JSON:
// framework, variant, issuer, jwks, pem, path). It reports its port with a 'listening' message,
// then answers 'cpu' requests with process.cpuUsage() so the parent can charge the CPU of a run
// to this server alone.

import { executionAsyncResource } from 'node:async_hooks';
import { serveParent } from './child-process.mjs';

// Every server, whatever its layer, keeps one of Node's tick objects alive for its whole life.
// process.nextTick builds each tick object through a chain of hidden classes that nothing else
// holds; a full garbage collection while no tick is queued (an idle process: this bench leaves
// each server idle while it measures the others) frees that chain, nextTick's property stores see
// a new one, turn megamorphic, and every later tick costs 6–9× (42 → 269 ns on Node 20, 42 → 356
// and 45 → 359 ns on 22 and 24): 5–16 µs a request in these servers. Which process lands in that
// state depends on when its collector ran, not on its layer; holding one tick object keeps the
// chain and every server out of it (tick-state.mjs checks that none is in it). @torii/core's Node
// entry does the same for every app that loads it.
const keptTickObjects = [];
process.nextTick(() => keptTickObjects.push(executionAsyncResource()));

const config = JSON.parse(process.env.BENCH_SERVER ?? '{}');
const apps = {
  express: () => import('./apps/express.mjs'),
  fastify: () => import('./apps/fastify.mjs'),
  hono: () => import('./apps/hono.mjs'),
  koa: () => import('./apps/koa.mjs'),
  nest: () => import('./apps/nest.mjs'),
};
const load = apps[config.framework];
if (load === undefined) throw new Error(`unknown framework ${config.framework}`);
const app = await load();
const server = await app.start(config.variant, config);

serveParent(
  {
    cpu: () => ({
      usage: process.cpuUsage(),
      rssBytes: process.memoryUsage.rss(),
      minorFaults: process.resourceUsage().minorPageFault,
    }),
  },
  () => server.close(),
);
process.send({ type: 'listening', port: server.port, peerName: app.peerName });
