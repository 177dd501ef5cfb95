// Turns the per-run samples into one row per scenario × framework × variant: medians over the
// repetitions, and ratios / differences against the bare route taken pairwise within each
// repetition (the bare run and the variant's run of the same repetition saw the same machine).

import { median } from './stats.mjs';

/**
 * @param {object[]} samples - { rep, scenario, framework, variant, rps, cpuUsPerReq, ... }
 * @param {number} rawVerifyCpuUs - median CPU µs of one raw node:crypto.verify
 */
export function summarize(samples, rawVerifyCpuUs) {
  const key = (s) => `${s.scenario}|${s.framework}|${s.variant}`;
  const groups = new Map();
  for (const s of samples) {
    if (!groups.has(key(s))) groups.set(key(s), []);
    groups.get(key(s)).push(s);
  }
  const bareOf = (s) =>
    samples.find(
      (b) =>
        b.variant === 'bare' &&
        b.scenario === s.scenario &&
        b.framework === s.framework &&
        b.rep === s.rep,
    );

  const rows = [];
  for (const runs of groups.values()) {
    const { scenario, framework, variant } = runs[0];
    const paired = runs.map((s) => ({ s, bare: bareOf(s) })).filter((p) => p.bare !== undefined);
    const addedUs = median(paired.map(({ s, bare }) => s.cpuUsPerReq - bare.cpuUsPerReq));
    const sum = (field) => runs.reduce((total, s) => total + s[field], 0);
    rows.push({
      scenario,
      framework,
      variant,
      runs: runs.length,
      rps: median(runs.map((s) => s.rps)),
      rpsVsBare: median(paired.map(({ s, bare }) => s.rps / bare.rps)),
      cpuUsPerReq: median(runs.map((s) => s.cpuUsPerReq)),
      addedCpuUs: variant === 'bare' ? 0 : addedUs,
      addedPerRawVerify: variant === 'bare' ? 0 : addedUs / rawVerifyCpuUs,
      share2xx: sum('status2xx') / Math.max(1, sum('requests')),
      errors: sum('errors') + sum('timeouts'),
      serverBusy: median(runs.map((s) => s.serverBusy)),
      loadBusy: median(runs.map((s) => s.loadBusy)),
      latencyP99Ms: median(runs.map((s) => s.latencyP99Ms)),
    });
  }
  return rows;
}
