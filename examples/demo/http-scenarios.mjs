/**
 * The client side of the demo's table: the same requests against every example app, each with the
 * status it must answer and what its body and headers must say.
 *
 * @module
 */

/**
 * @typedef {object} Tokens
 * @property {string} user A valid token of a signed-in user without the admin role.
 * @property {string} userId The `sub` of `user`.
 * @property {string} admin A valid token with the custom claim `role: "admin"`.
 * @property {string} expired A token that expired 10 minutes ago.
 * @property {string} tampered `user`'s token with its payload changed after signing.
 */

/**
 * @typedef {object} Answer
 * @property {number} status
 * @property {Headers} headers
 * @property {any} body Parsed JSON, or the text when it is not JSON.
 */

/**
 * @typedef {object} Scenario
 * @property {string} name The column title.
 * @property {number} expected The status the app must answer.
 * @property {(app: { url: string, banTarget: string }, tokens: Tokens) => Promise<Answer>} send
 * @property {(answer: Answer, app: { banTarget: string }, tokens: Tokens) => string | null} verify
 *   `null` when the body and headers are right, else what is wrong.
 */

/** @param {string} token */
const bearer = (token) => ({ authorization: `Bearer ${token}` });

/** @type {Scenario[]} */
export const SCENARIOS = [
  {
    name: 'health',
    expected: 200,
    send: (app) => request(app.url, 'GET', '/health'),
    verify: (a) => (a.body?.ok === true ? null : 'body is not { ok: true }'),
  },
  {
    name: 'no token',
    expected: 401,
    send: (app) => request(app.url, 'GET', '/me'),
    verify: (a) =>
      denied(a, 'authentication_failed') ??
      (/^Bearer(?!.*error=)/.test(a.headers.get('www-authenticate') ?? '')
        ? null
        : 'WWW-Authenticate is not a bare Bearer challenge'),
  },
  {
    name: 'valid token',
    expected: 200,
    send: (app, t) => request(app.url, 'GET', '/me', bearer(t.user)),
    verify: (a, _app, t) => (a.body?.userId === t.userId ? null : 'body.userId is not the sub'),
  },
  {
    name: 'expired',
    expected: 401,
    send: (app, t) => request(app.url, 'GET', '/me', bearer(t.expired)),
    verify: (a) => denied(a, 'authentication_failed') ?? invalidTokenChallenge(a),
  },
  {
    name: 'tampered',
    expected: 401,
    send: (app, t) => request(app.url, 'GET', '/me', bearer(t.tampered)),
    verify: (a) => denied(a, 'authentication_failed') ?? invalidTokenChallenge(a),
  },
  {
    name: 'non-admin',
    expected: 403,
    send: (app, t) => request(app.url, 'GET', '/admin/users', bearer(t.user)),
    verify: (a) => denied(a, 'forbidden'),
  },
  {
    name: 'admin list',
    expected: 200,
    send: (app, t) => request(app.url, 'GET', '/admin/users', bearer(t.admin)),
    verify: (a) =>
      Array.isArray(a.body?.items) && a.body.items.length > 0 && typeof a.body.hasMore === 'boolean'
        ? null
        : 'body is not a page of users',
  },
  {
    name: 'admin ban',
    expected: 200,
    send: (app, t) =>
      request(
        app.url,
        'POST',
        `/admin/users/${encodeURIComponent(app.banTarget)}/ban`,
        bearer(t.admin),
      ),
    verify: (a, app) =>
      a.body?.id === app.banTarget && a.body?.status === 'banned'
        ? null
        : 'body is not the banned user',
  },
];

/**
 * Run every scenario against one app, in order.
 *
 * @param {{ url: string, banTarget: string }} app
 * @param {Tokens} tokens
 * @returns {Promise<{ status: number | string, ok: boolean, problem: string | null }[]>}
 */
export async function runScenarios(app, tokens) {
  const cells = [];
  for (const scenario of SCENARIOS) {
    try {
      const answer = await scenario.send(app, tokens);
      const problem =
        answer.status === scenario.expected
          ? scenario.verify(answer, app, tokens)
          : `expected ${scenario.expected}, got ${answer.status}`;
      cells.push({ status: answer.status, ok: problem === null, problem });
    } catch (err) {
      cells.push({
        status: 'error',
        ok: false,
        problem: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return cells;
}

/**
 * A torii error answer: JSON `{ error: { code, message } }` with the given code.
 *
 * @param {Answer} answer
 * @param {string} code
 * @returns {string | null}
 */
function denied(answer, code) {
  const type = answer.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) return `content-type is ${type || 'missing'}`;
  if (answer.body?.error?.code !== code) return `body.error.code is not ${code}`;
  if (typeof answer.body.error.message !== 'string') return 'body.error.message is missing';
  return null;
}

/**
 * @param {Answer} answer
 * @returns {string | null}
 */
function invalidTokenChallenge(answer) {
  return /^Bearer .*error="invalid_token"/.test(answer.headers.get('www-authenticate') ?? '')
    ? null
    : 'WWW-Authenticate lacks error="invalid_token"';
}

/**
 * @param {string} base
 * @param {string} method
 * @param {string} path
 * @param {Record<string, string>} [headers]
 * @returns {Promise<Answer>}
 */
async function request(base, method, path, headers = {}) {
  const response = await fetch(new URL(path, base), {
    method,
    headers,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: verify() says what was expected
  }
  return { status: response.status, headers: response.headers, body };
}
