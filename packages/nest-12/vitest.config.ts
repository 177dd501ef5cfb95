/**
 * Runs `@torii/nest`'s test files (in `../nest`) against NestJS 12: every `@nestjs/*` import, from
 * the library source and from the tests alike, is aliased to the Nest 12 packages installed here.
 * `test/` adds a check of the built package on Nest 12, from CommonJS and from ESM.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import shared from '../../config/vitest.shared.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
const NEST_PACKAGES = ['common', 'core', 'platform-express', 'platform-fastify', 'testing'];

export default defineConfig({
  resolve: {
    alias: NEST_PACKAGES.map((name) => ({
      find: new RegExp(`^@nestjs/${name}$`),
      replacement: require.resolve(`@nestjs/${name}`),
    })),
  },
  test: {
    ...shared.test,
    include: ['../nest/src/**/*.test.ts', '../nest/test/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { ...shared.test?.typecheck, include: ['../nest/src/**/*.test-d.ts'] },
    provide: { nestMajor: 12, nestRoot: here },
  },
});
