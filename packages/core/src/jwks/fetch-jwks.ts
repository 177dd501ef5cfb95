/**
 * One bounded HTTP fetch of a JWKS document.
 *
 * @module
 */
import { decodeJsonObject } from '../jwt/json-object.js';

/** Limits of one JWKS fetch. */
export interface JwksFetchLimits {
  /** Abort after this many ms (headers and body together). */
  readonly timeoutMs: number;
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
}

/**
 * Fetches `url` and returns the `keys` array of the JWKS it serves. Rejects with a plain `Error`
 * (message safe to log) on a network error, a timeout, a status other than 200 (redirects are not
 * followed), a body larger than `maxBytes`, or a body that is not a JSON object with a `keys` array.
 * The timeout holds even when a custom `fetch` ignores the abort signal.
 *
 * @example
 * ```ts
 * const keys = await fetchJwks('https://acme.torii.so/_torii/.well-known/jwks.json', fetch, {
 *   timeoutMs: 5000,
 *   maxBytes: 65536,
 * });
 * ```
 */
export async function fetchJwks(
  url: string,
  fetchFn: typeof fetch,
  limits: JwksFetchLimits,
): Promise<unknown[]> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`the JWKS request timed out after ${limits.timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, limits.timeoutMs);
  });
  try {
    return await Promise.race([
      download(url, fetchFn, limits.maxBytes, controller.signal),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    // Ends a body nobody reads any more (a late or oversized response).
    if (!controller.signal.aborted) controller.abort();
  }
}

async function download(
  url: string,
  fetchFn: typeof fetch,
  maxBytes: number,
  signal: AbortSignal,
): Promise<unknown[]> {
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    throw new Error(`the JWKS request failed: ${describe(error)}`, { cause: error });
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`the JWKS endpoint answered HTTP ${response.status} instead of 200`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`the JWKS response is larger than ${maxBytes} bytes`);
  }
  const body = await readCapped(response, maxBytes);
  const document = decodeJsonObject(body);
  if (document === null || !Array.isArray(document.keys)) {
    throw new Error('the JWKS response is not a JSON object with a "keys" array');
  }
  return document.keys;
}

/** Reads the whole body, failing as soon as it exceeds `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`the JWKS response is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
