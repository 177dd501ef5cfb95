// The four traffic patterns, and how the load generator picks the Authorization header of each
// request for them. The same pattern is sent to the bare route, the torii adapter and the peer.

import { seededRandom, zipfSampler } from './zipf.mjs';

/** Zipf exponent of the realistic-skew scenario. */
export const ZIPF_S = 1;

export const SCENARIOS = {
  same: {
    title: '(a) same token',
    note: 'one valid token on every request: torii answers from its token cache.',
  },
  unique: {
    title: '(b) unique tokens',
    note: "a long cycle of distinct valid tokens (--unique, 60,000 by default), each seen once per cycle: every request is a miss that verifies (torii's cache admits a token on its second verification, so these pass it by and the users the cache holds stay).",
  },
  zipf: {
    title: '(c) realistic skew (Zipf s=1)',
    note: 'one token per user, users drawn by Zipf s=1; torii servers get every user twice before each run, so the cache holds all of them (steady state of a warm server).',
  },
  invalid: {
    title: '(d) invalid-token flood',
    note: 'well-formed tokens with a bad signature, rotating; torii and peers answer 401, the bare route ignores them (200).',
  },
};

/**
 * Autocannon request options for `scenario`. `cursors` keeps, per server, where the rotating
 * scenarios stopped, so a cycle carries on across runs instead of restarting at token 0 (which
 * would turn misses into hits).
 *
 * @returns {{ options: object, calls: () => number }}
 */
export function requestOptions(scenario, tokens, { cursors, serverKey, seed }) {
  const bearer = (token) => ({ authorization: `Bearer ${token}` });
  if (scenario === 'same') return { options: { headers: bearer(tokens.same) }, calls: () => 0 };

  let pick;
  if (scenario === 'unique' || scenario === 'invalid') {
    const list = tokens[scenario];
    const key = `${serverKey}:${scenario}`;
    pick = () => {
      const i = cursors.get(key) ?? 0;
      cursors.set(key, (i + 1) % list.length);
      return list[i];
    };
  } else if (scenario === 'zipf') {
    const draw = zipfSampler(tokens.users.length, ZIPF_S, seededRandom(seed));
    pick = () => tokens.users[draw()];
  } else if (scenario === 'prime-users') {
    let i = 0;
    pick = () => tokens.users[i++ % tokens.users.length];
  } else {
    throw new Error(`unknown scenario ${scenario}`);
  }

  let calls = 0;
  const setupRequest = (request) => {
    calls++;
    request.headers = bearer(pick());
    return request;
  };
  return { options: { requests: [{ method: 'GET', setupRequest }] }, calls: () => calls };
}
