/**
 * A `fetch` whose answers the test releases by hand, to order concurrent fetches exactly. It
 * ignores the abort signal on purpose (a misbehaving custom fetch).
 *
 * @module
 */

/** One call to the controlled fetch, waiting for the test to answer it. */
export interface PendingFetch {
  readonly url: string;
  /** Answers 200 with this JWKS document. */
  respond(document: unknown): void;
  /** Fails with a network error. */
  fail(): void;
}

/** A controlled `fetch` and the calls it received. */
export interface ControlledFetch {
  readonly fetch: typeof fetch;
  readonly calls: PendingFetch[];
}

/**
 * Creates a fetch that records each call and answers only when told.
 *
 * @example
 * ```ts
 * const ctl = controlledFetch();
 * const verifier = createVerifier({ issuer, fetch: ctl.fetch });
 * const pending = verifier.verify(token);
 * ctl.calls[0].respond({ keys: [jwk] });
 * ```
 */
export function controlledFetch(): ControlledFetch {
  const calls: PendingFetch[] = [];
  const fetchFn = ((input: string | URL | Request) =>
    new Promise<Response>((resolve, reject) => {
      calls.push({
        url: String(input),
        respond: (document) =>
          resolve(
            new Response(JSON.stringify(document), {
              status: 200,
              headers: { 'content-type': 'application/json' },
            }),
          ),
        fail: () => reject(new TypeError('fetch failed')),
      });
    })) as typeof fetch;
  return { fetch: fetchFn, calls };
}
