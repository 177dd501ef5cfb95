/**
 * The SDK version sent in `User-Agent`. Kept equal to `version` in `package.json` by
 * `version.test.ts`; bump both together.
 */
export const SDK_VERSION = '0.1.0';

/** The `User-Agent` sent with every server API request. */
export const USER_AGENT = `torii-node/${SDK_VERSION}`;
