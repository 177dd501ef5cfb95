/**
 * The REST half of the demo: `ToriiClient` from `@torii/core` against the mock server API of
 * `torii-dev`, end to end — create, tri-state update, a search across pages, ban (which revokes
 * the sessions), delete, and a second delete (403 per the spec: already deleted, counts as done).
 *
 * @module
 */
import { ToriiApiError, ToriiClient } from '@torii/core';
import { check, printStep } from './report.mjs';
import { TOUR_USERS } from './torii-dev.mjs';

/**
 * Run every step in order; a step that throws is a failed step and the tour goes on where it can.
 *
 * @param {{ apiUrl: string, secretKey: string, users: { eve: string } }} dev
 */
export async function runRestClientTour(dev) {
  const torii = new ToriiClient({ secretKey: dev.secretKey, apiUrl: dev.apiUrl, maxRetries: 0 });
  /** @type {import('@torii/core').ToriiUser} */
  let created = /** @type {never} */ (null);

  await step('create', async () => {
    created = await torii.users.create({
      email: 'ada@tour.example',
      name: 'Ada Lovelace',
      phone: '+15555550100',
      address: '12 St James Square, London',
    });
    return [
      typeof created.id === 'string' && created.name === 'Ada Lovelace' && created.phone !== null,
      `users.create → ${short(created.id)} ${created.status}, name, phone and address set`,
    ];
  });

  await step('update (tri-state)', async () => {
    const updated = await torii.users.update(created.id, { name: 'Ada King', phone: null });
    const stored = await torii.users.get(created.id);
    const ok =
      updated.name === 'Ada King' &&
      updated.phone === null &&
      updated.address === '12 St James Square, London' &&
      JSON.stringify(stored) === JSON.stringify(updated);
    return [
      ok,
      `{ name: 'Ada King', phone: null } → name set, phone cleared, address left: ${JSON.stringify(updated.address)}`,
    ];
  });

  await step('search across pages', async () => {
    const expected = TOUR_USERS + 1;
    const pageSizes = [];
    const ids = new Set();
    let cursor;
    do {
      const page = await torii.users.list({ email: '@tour.example', limit: 3, cursor });
      pageSizes.push(page.items.length);
      for (const user of page.items) ids.add(user.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    let all = 0;
    for await (const _user of torii.users.listAll({ email: '@tour.example', limit: 3 })) all++;
    let nameless = 0;
    for await (const _user of torii.users.listAll({ email: '@tour.example', name: null }))
      nameless++;
    return [
      ids.size === expected && all === expected && pageSizes.length === 3 && nameless === 1,
      `email '@tour.example', limit 3 → pages of ${pageSizes.join('+')} = ${ids.size} users; listAll ${all}; name: null → ${nameless}`,
    ];
  });

  await step('ban → sessions revoked', async () => {
    const before = await torii.sessions.listForUser(dev.users.eve);
    const banned = await torii.users.ban(dev.users.eve);
    const after = await torii.sessions.listForUser(dev.users.eve);
    return [
      before.length === 2 && banned.status === 'banned' && after.length === 0,
      `eve: ${before.length} sessions → users.ban → ${banned.status}, ${after.length} sessions`,
    ];
  });

  await step('delete', async () => {
    await torii.users.delete(created.id);
    return [true, `users.delete(${short(created.id)}) → 204`];
  });

  await step('second delete', async () => {
    try {
      await torii.users.delete(created.id);
      return [false, 'resolved: the server should answer 403 to a second delete'];
    } catch (err) {
      if (!(err instanceof ToriiApiError)) throw err;
      return [err.status === 403, `ToriiApiError ${err.status}: already deleted, counts as done`];
    }
  });
}

/**
 * Run one step, print it, record it.
 *
 * @param {string} name
 * @param {() => Promise<[boolean, string]>} body
 */
async function step(name, body) {
  let ok = false;
  let detail = '';
  try {
    [ok, detail] = await body();
  } catch (err) {
    detail = `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  }
  check(ok, `REST ${name}`, detail);
  printStep(ok, name, detail);
}

/** @param {string} id */
function short(id) {
  return `${String(id).slice(0, 8)}…`;
}
