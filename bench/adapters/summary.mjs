// Turns the per-run samples into one row per scenario × framework × variant: medians over the
// repetitions, and ratios / differences against the bare route taken pairwise within each
// repetition (the bare run and the variant's run of the same repetition saw the same machine).

import { median } from './stats.mjs';

/** The sample of `variant` in the run of `scenario`, `framework` and `rep`, or undefined. */
const sampleAt = (samples, { scenario, framework, rep }, variant) =>
  samples.find(
    (s) =>
      s.variant === variant &&
      s.scenario === scenario &&
      s.framework === framework &&
      s.rep === rep,
  );

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
  const bareOf = (s) => sampleAt(samples, s, 'bare');

  const rows = [];
  for (const runs of groups.values()) {
    const { scenario, framework, variant } = runs[0];
    const paired = runs.map((s) => ({ s, bare: bareOf(s) })).filter((p) => p.bare !== undefined);
    const addedUs = median(paired.map(({ s, bare }) => s.cpuUsPerReq - bare.cpuUsPerReq));
    // What the floor server (one raw signature check in that framework) added in the same
    // repetition: the price of a signature check inside a server, next to the in-process one.
    const perFloor = paired
      .map(({ s, bare }) => ({ s, bare, floor: sampleAt(samples, s, 'floor') }))
      .filter((p) => p.floor !== undefined)
      .map(
        ({ s, bare, floor }) =>
          (s.cpuUsPerReq - bare.cpuUsPerReq) / (floor.cpuUsPerReq - bare.cpuUsPerReq),
      );
    const ratios = paired.map(({ s, bare }) => s.rps / bare.rps);
    const sum = (field) => runs.reduce((total, s) => total + s[field], 0);
    rows.push({
      scenario,
      framework,
      variant,
      runs: runs.length,
      rps: median(runs.map((s) => s.rps)),
      rpsVsBare: median(ratios),
      // The lowest and highest paired ratio: how far one repetition's ratio is from another's.
      rpsVsBareMin: Math.min(...ratios),
      rpsVsBareMax: Math.max(...ratios),
      cpuUsPerReq: median(runs.map((s) => s.cpuUsPerReq)),
      sysUsPerReq: median(runs.map((s) => s.sysUsPerReq)),
      minorFaultsPerReq: median(runs.map((s) => s.minorFaultsPerReq)),
      addedCpuUs: variant === 'bare' ? 0 : addedUs,
      addedPerRawVerify: variant === 'bare' ? 0 : addedUs / rawVerifyCpuUs,
      addedPerFloor: variant === 'bare' ? 0 : median(perFloor),
      share2xx: sum('status2xx') / Math.max(1, sum('requests')),
      errors: sum('errors') + sum('timeouts'),
      serverBusy: median(runs.map((s) => s.serverBusy)),
      loadBusy: median(runs.map((s) => s.loadBusy)),
      latencyP99Ms: median(runs.map((s) => s.latencyP99Ms)),
    });
  }
  return rows;
}

/**
 * The same-token runs again, counting only the processes that were out of Node's slow
 * process.nextTick state (told by perf right after each same-token run): what a layer costs when
 * the processes compared are in the same state. Bare, pass and torii only: a server that verifies
 * every request serves too few in a second for its state to be told.
 *
 * @param {object[]} samples - as for {@link summarize}
 * @param {object[]} tickStates - { rep, framework, variant, slow }
 * @param {string[]} frameworks - in the report's order
 * @returns {object[]} { framework, variant, processes, outOfState, cpuUsPerReq, addedCpuUs,
 * cpuRatioToBare } (cpuRatioToBare: the bare route's CPU a request over this one's, the ratio of
 * their rates when both are CPU-bound)
 */
export function summarizeOutOfState(samples, tickStates, frameworks) {
  const rows = [];
  for (const framework of frameworks) {
    const cpuOf = (variant) => {
      const states = tickStates.filter((t) => t.framework === framework && t.variant === variant);
      const calm = states.filter((t) => t.slow === false);
      const cpu = calm
        .map((t) => sampleAt(samples, { scenario: 'same', framework, rep: t.rep }, variant))
        .filter((s) => s !== undefined)
        .map((s) => s.cpuUsPerReq);
      return { processes: states.length, outOfState: cpu.length, cpuUsPerReq: median(cpu) };
    };
    const bare = cpuOf('bare');
    for (const variant of ['bare', 'pass', 'torii']) {
      const row = variant === 'bare' ? bare : cpuOf(variant);
      if (row.processes === 0) continue;
      rows.push({
        framework,
        variant,
        ...row,
        addedCpuUs: row.cpuUsPerReq - bare.cpuUsPerReq,
        cpuRatioToBare: bare.cpuUsPerReq / row.cpuUsPerReq,
      });
    }
  }
  return rows;
}
