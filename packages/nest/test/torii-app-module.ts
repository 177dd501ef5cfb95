/**
 * Test helper: the root module most tests start, `ToriiModule.forRoot(options)` plus the
 * controllers and providers under test.
 */
import { Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { ToriiModule } from '../src/torii.module.js';

/** The options of `ToriiModule.forRoot`. */
export type ForRootOptions = Parameters<typeof ToriiModule.forRoot>[0];

/**
 * A root module that imports `ToriiModule.forRoot(options)` and declares `metadata`'s controllers
 * and providers. The options are validated when the app starts, as with a hand-written module.
 *
 * @example
 * ```ts
 * const module = toriiAppModule({ issuer, globalGuard: true }, { controllers: [MeController] });
 * ```
 */
export function toriiAppModule(
  options: ForRootOptions,
  metadata: Pick<ModuleMetadata, 'controllers' | 'providers'> = {},
): Type {
  @Module({ imports: [ToriiModule.forRoot(options)], ...metadata })
  class AppModule {}
  return AppModule;
}
