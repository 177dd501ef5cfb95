/**
 * `startToriiDev()`: the local issuer and the mock server API side by side, sharing one
 * environment, as `torii-dev` runs them. Usable from scripts and demos as well as from the CLI.
 *
 * @module
 */
import { createMockToriiApi, type MockToriiApi } from '../api/create-mock-torii-api.js';
import type { MockUser } from '../api/types.js';
import { createTestIssuer, type TestIssuer } from '../issuer/create-test-issuer.js';
import {
  DEFAULT_API_PORT,
  DEFAULT_ISSUER_PORT,
  DEFAULT_KEY_SEED,
  deriveDevIdentity,
} from './dev-identity.js';
import { applySeed, type SeedFile } from './seed-data.js';

/** Options of {@link startToriiDev}. */
export interface ToriiDevOptions {
  /** Loopback host of both servers. @default '127.0.0.1' */
  host?: string;
  /** Issuer (JWKS) port; `0` picks a free one. @default 4010 */
  issuerPort?: number;
  /** Mock API port; `0` picks a free one. @default 4011 */
  apiPort?: number;
  /** Seed of the signing key, environment id and secret key. @default 'torii-dev' */
  keySeed?: string;
  /** Secret key of the mock API. @default derived from `keySeed` */
  secretKey?: string;
  /** Users and sessions to start with. */
  seed?: SeedFile;
}

/** A running `torii-dev`. */
export interface ToriiDev {
  readonly issuer: TestIssuer;
  readonly api: MockToriiApi;
  /** Users added from the seed, in order. */
  readonly seededUsers: readonly MockUser[];
  /** Stop both servers. */
  close(): Promise<void>;
}

/**
 * Start the issuer and the mock API.
 *
 * @example
 * ```ts
 * const dev = await startToriiDev({ issuerPort: 0, apiPort: 0 });
 * const token = await dev.issuer.sign();
 * await dev.close();
 * ```
 */
export async function startToriiDev(options: ToriiDevOptions = {}): Promise<ToriiDev> {
  const keySeed = options.keySeed ?? DEFAULT_KEY_SEED;
  const identity = deriveDevIdentity(keySeed);
  const host = options.host ?? '127.0.0.1';
  const issuer = await createTestIssuer({
    host,
    port: options.issuerPort ?? DEFAULT_ISSUER_PORT,
    seed: keySeed,
    environmentId: identity.environmentId,
  });
  let api: MockToriiApi;
  try {
    api = await createMockToriiApi({
      host,
      port: options.apiPort ?? DEFAULT_API_PORT,
      secretKey: options.secretKey ?? identity.secretKey,
      environmentId: identity.environmentId,
    });
  } catch (error) {
    await issuer.close();
    throw error;
  }
  let seededUsers: MockUser[] = [];
  try {
    seededUsers = options.seed === undefined ? [] : applySeed(api, options.seed);
  } catch (error) {
    await Promise.all([issuer.close(), api.close()]);
    throw error;
  }
  return {
    issuer,
    api,
    seededUsers,
    async close() {
      await Promise.all([issuer.close(), api.close()]);
    },
  };
}
