export {
  createMockToriiApi,
  DEFAULT_MAX_PAGE_SIZE,
  DEFAULT_PAGE_SIZE,
  type FailNextOptions,
  type MockToriiApi,
  type MockToriiApiOptions,
} from './create-mock-torii-api.js';
export { API_PREFIX } from './handle-request.js';
export type { MockProblemCode, ProblemBody } from './problem.js';
export type {
  AddSessionFields,
  AddUserFields,
  MockLocale,
  MockRequestRecord,
  MockSession,
  MockUser,
  MockUserStatus,
} from './types.js';
export { MIN_PASSWORD_LENGTH } from './validate-input.js';
