// Where a server spent its CPU, from a V8 .cpuprofile (node --cpu-prof, or
// `node bench/adapters.mjs --prof fastify:torii`): self time grouped by package, then the top
// functions. Idle time ("(idle)", "(program)") is left out of the shares.
//
//   node bench/profile-summary.mjs bench/cpu-profiles/fastify-torii.cpuprofile [--top 25]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
if (positionals.length === 0) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N]');
  process.exit(2);
}

/** A readable owner for a script URL: node:xyz, a package name, or the workspace package. */
function ownerOf(url) {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return url;
  const store = url.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
  if (store) return store[1];
  const workspace = url.match(/\/packages\/([^/]+)\//);
  if (workspace) return `@torii/${workspace[1]} (workspace)`;
  return url.replace(/^file:\/\//, '');
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const deltas = profile.timeDeltas;
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  }

  const idle = new Set(['(idle)', '(program)']);
  let busyUs = 0;
  let idleUs = 0;
  const byOwner = new Map();
  const byFunction = new Map();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    if (idle.has(functionName)) {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const owner = functionName === '(garbage collector)' ? '(garbage collector)' : ownerOf(url);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
    const name = `${functionName || '(anonymous)'}  ${owner}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }

  const share = (us) => `${((100 * us) / busyUs).toFixed(1).padStart(5)}%`;
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(
    `\n${file}: busy ${(busyUs / 1e6).toFixed(2)} s, idle ${(idleUs / 1e6).toFixed(2)} s (self time)`,
  );
  console.log('\nby owner');
  for (const [owner, us] of top(byOwner, 15)) console.log(`  ${share(us)}  ${owner}`);
  console.log(`\ntop ${values.top} functions`);
  for (const [name, us] of top(byFunction, Number(values.top))) {
    console.log(`  ${share(us)}  ${name}`);
  }
}
