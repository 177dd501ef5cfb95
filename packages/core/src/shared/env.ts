/**
 * Configuration read from the environment when an option is omitted. Only where the runtime has a
 * process environment (`globalThis.process.env`: Node, Bun, Deno); on Workers, where configuration
 * arrives with each request, nothing is read and the option must be given.
 *
 * @module
 */

/** The environment variables torii reads. */
export type ToriiEnvVariable =
  | 'TORII_ISSUER'
  | 'TORII_SECRET_KEY'
  | 'TORII_API_URL'
  | 'TORII_DEBUG';

/**
 * The value of `name` in `globalThis.process.env`, or `undefined` when it is unset or empty, or
 * when the runtime has no process environment or refuses to read it (Deno without `--allow-env`).
 * Read when an object is built (a verifier, a client), never per request.
 *
 * @example
 * ```ts
 * const issuer = options.issuer ?? readEnv('TORII_ISSUER');
 * ```
 */
export function readEnv(name: ToriiEnvVariable): string | undefined {
  let value: unknown;
  try {
    value = (globalThis as { process?: { env?: Record<string, unknown> } }).process?.env?.[name];
  } catch {
    return undefined;
  }
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Whether `TORII_DEBUG` switches debug logging on: any value but `0`, `false`, `no` and `off`
 * (in any case).
 *
 * @example
 * ```ts
 * debugFromEnv(); // true after `TORII_DEBUG=1`
 * ```
 */
export function debugFromEnv(): boolean {
  const value = readEnv('TORII_DEBUG');
  return value !== undefined && !/^(?:0|false|no|off)$/i.test(value.trim());
}
