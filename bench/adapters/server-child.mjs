// One benchmarked server in its own process. Configuration comes in BENCH_SERVER (JSON:
// framework, variant, issuer, jwks, pem, path). It reports its port with a 'listening' message,
// then answers 'cpu' requests with process.cpuUsage() so the parent can charge the CPU of a run
// to this server alone.

import { serveParent } from './child-process.mjs';

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
