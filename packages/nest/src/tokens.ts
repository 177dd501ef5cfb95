/**
 * The injection tokens and metadata keys of `@torii/nest`.
 *
 * @module
 */

/**
 * Injection token of the resolved {@link ToriiModuleOptions}.
 *
 * @example
 * ```ts
 * constructor(@Inject(TORII_OPTIONS) private readonly options: ToriiModuleOptions) {}
 * ```
 */
export const TORII_OPTIONS = 'TORII_OPTIONS';

/** Injection token of core's auth guard, built once per module from {@link TORII_OPTIONS}. */
export const TORII_AUTH_GUARD = 'TORII_AUTH_GUARD';

/**
 * Injection token of the module's client holder (internal): the one `ToriiClient`, built when it
 * is first injected.
 */
export const TORII_CLIENT = 'TORII_CLIENT';

/** Metadata key set by `@Public()`; `ToriiGuard` reads it as own metadata only (never inherited). */
export const TORII_PUBLIC_KEY = 'torii:public';

/** Metadata key set by `@OptionalAuth()`. */
export const TORII_OPTIONAL_KEY = 'torii:optional';

/** Metadata key set by `@Authorize()`: the route's predicate. */
export const TORII_AUTHORIZE_KEY = 'torii:authorize';
