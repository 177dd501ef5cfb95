export {
  DEFAULT_API_PORT,
  DEFAULT_ISSUER_PORT,
  DEFAULT_KEY_SEED,
  type DevIdentity,
  deriveDevIdentity,
} from './dev-identity.js';
export { type MintDevTokenOptions, mintDevToken } from './mint-dev-token.js';
export { DEMO_SEED, type SeedFile, type SeedUser } from './seed-data.js';
export { startToriiDev, type ToriiDev, type ToriiDevOptions } from './start-torii-dev.js';
