// One Fastify server of bench/startup-fetch.mjs, in its own process. BENCH_SERVER (JSON) holds
// `variant`, `issuer`, `jwksUrl`, `jwks` and `path`. It reports its port with a 'listening'
// message, then answers 'cpu' requests with process.cpuUsage(). torii is imported by the variants
// that use it only (as in bench/adapters/apps/): the bare server loads Fastify alone.

import Fastify from 'fastify';
import { serveParent } from '../adapters/child-process.mjs';

const { variant, issuer, jwksUrl, jwks, path } = JSON.parse(process.env.BENCH_SERVER ?? '{}');
const getKeySet = async () => {
  await (await fetch(jwksUrl)).arrayBuffer();
};

// "early": the GET before Fastify and torii are even set up; "late": in an onReady hook, the
// last thing before the server listens (where a plugin that fetches its keys does it).
if (variant.endsWith('+ early fetch')) await getKeySet();
const app = Fastify({ logger: false });
if (variant.startsWith('torii issuer')) {
  const { default: toriiAuth } = await import('@torii/fastify');
  await app.register(toriiAuth, { issuer });
} else if (variant.startsWith('torii jwks')) {
  const { default: toriiAuth } = await import('@torii/fastify');
  await app.register(toriiAuth, { issuer, jwks });
} else if (variant.startsWith('hook jwks')) {
  const { createAuthGuard } = await import('@torii/core');
  // The plugin's work without the plugin: the guard's synchronous decision in an onRequest hook
  // added to the app directly.
  const guard = createAuthGuard({ issuer, jwks });
  await guard.ready();
  app.decorateRequest('auth', undefined);
  app.addHook('onRequest', (request, reply, done) => {
    const decision = guard.decideNow(request, request.raw);
    if (decision instanceof Promise) {
      done(new Error('the decision on a cached token should not wait'));
      return;
    }
    if (!decision.ok) {
      reply.code(decision.status).headers(decision.headers).send(decision.body);
      return;
    }
    request.auth = decision.auth;
    done();
  });
} else if (!variant.startsWith('bare')) {
  throw new Error(`unknown variant ${variant}`);
}
if (variant.endsWith('+ late fetch')) app.addHook('onReady', getKeySet);
app.get(path, async () => ({ ok: true }));
await app.listen({ port: 0, host: '127.0.0.1' });

serveParent({ cpu: () => ({ usage: process.cpuUsage() }) }, () => app.close());
process.send({ type: 'listening', port: app.server.address().port });
