/**
 * What the demo prints: the framework × scenario table of statuses, one line per REST step, and
 * the tally that decides the exit code.
 *
 * @module
 */

const PASS = '✓';
const FAIL = '✗';
/** @type {string[]} */
const failures = [];

/**
 * Record one expectation. Returns `ok` so callers can chain on it.
 *
 * @param {boolean} ok
 * @param {string} what A name for the check, shown when it fails.
 * @param {string} [detail] Why it failed.
 * @returns {boolean}
 */
export function check(ok, what, detail = '') {
  if (!ok) failures.push(detail ? `${what}: ${detail}` : what);
  return ok;
}

/** @returns {string[]} Every failed check so far. */
export function failed() {
  return [...failures];
}

/** @param {boolean} ok */
export function mark(ok) {
  return ok ? PASS : FAIL;
}

/**
 * @typedef {object} Cell
 * @property {number | string} status What came back (a status, or `'error'`).
 * @property {boolean} ok Whether it was what was expected (status and body).
 */

/**
 * Print the table: one row per framework, one column per scenario, `status ✓|✗` in each cell,
 * and a header line with the expected status of each column.
 *
 * @param {{ name: string, expected: number }[]} scenarios
 * @param {Map<string, Cell[]>} rows framework -> one cell per scenario
 */
export function printTable(scenarios, rows) {
  const head = ['framework', ...scenarios.map((s) => s.name)];
  const expected = ['expected', ...scenarios.map((s) => String(s.expected))];
  const body = [...rows].map(([framework, cells]) => [
    framework,
    ...cells.map((cell) => `${cell.status} ${mark(cell.ok)}`),
  ]);
  const all = [head, expected, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((row) => width(row[i] ?? ''))));
  /** @param {string[]} row */
  const line = (row) =>
    row
      .map((cell, i) => pad(cell, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(line(expected));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}

/**
 * Print one step of the REST tour: `✓ what — detail`.
 *
 * @param {boolean} ok
 * @param {string} what
 * @param {string} detail
 */
export function printStep(ok, what, detail) {
  console.log(`  ${mark(ok)} ${what.padEnd(34)} ${detail}`);
}

/** @param {string} text */
function width(text) {
  return [...text].length;
}

/**
 * @param {string} text
 * @param {number} size
 */
function pad(text, size) {
  return text + ' '.repeat(Math.max(0, size - width(text)));
}
