/**
 * What each run's vitest config provides (`test.provide`) to `nest-version.test.ts`:
 * `packages/nest` runs on Nest 11, `packages/nest-12` runs the same tests on Nest 12.
 */
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The NestJS major this run tests. */
    nestMajor: number;
    /** The folder whose `node_modules` hold that Nest (a `package.json` there lists it). */
    nestRoot: string;
  }
}
