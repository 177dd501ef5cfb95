/**
 * The REST client of the torii server API.
 *
 * @module
 */
export { ToriiClient, type ToriiClientSummary } from './client.js';
export { DEFAULT_API_URL } from './config.js';
export { ToriiSessions } from './sessions.js';
export type {
  CreateUserInput,
  ListAllUsersParams,
  ListUsersParams,
  RequestOptions,
  ToriiClientOptions,
  ToriiProblemDetail,
  ToriiRetryEvent,
  ToriiSession,
  ToriiUser,
  ToriiUserLocale,
  ToriiUserPage,
  ToriiUserStatus,
  UpdateUserInput,
  UserSearchFilters,
} from './types.js';
export { ToriiUsers } from './users.js';
export { SDK_VERSION } from './version.js';
