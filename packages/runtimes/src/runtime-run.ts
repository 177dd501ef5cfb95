/**
 * The result of running the checks on one runtime, and the helpers that name the files a runtime
 * loaded relative to their package.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeInput, RuntimeReport } from '../fixtures/protocol.ts';

/** This package's directory (`packages/runtimes`). */
export const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** The directory of the built `@torii/core` (`packages/core`). */
export const coreDir = join(packageDir, '..', 'core');

/** The directory of the built `@torii/hono` (`packages/hono`). */
export const honoDir = join(packageDir, '..', 'hono');

/** One runtime's run: which runtime, which entries it loaded, and what it observed. */
export interface RuntimeRun {
  /** `bun`, `deno` or `workerd`. */
  runtime: string;
  /** The version of the installed runtime package, e.g. `1.4.5`. */
  version: string;
  /** The `@torii/core` entry the runtime loaded, relative to `packages/core` (e.g. `dist/index.js`). */
  coreEntry: string;
  /** The `@torii/hono` entry the runtime loaded, relative to `packages/hono`. */
  honoEntry: string;
  report: RuntimeReport;
}

/** Runs the checks on one runtime. */
export type RuntimeRunner = (input: RuntimeInput) => Promise<RuntimeRun>;

/**
 * `file` (a path or a `file:` URL) relative to `base`, with `/` separators. Throws when it lies
 * outside `base`: a runtime that loaded a copy from elsewhere is not testing the built package.
 *
 * @example
 * ```ts
 * entryWithin('file:///work/main/packages/core/dist/index.js', coreDir); // 'dist/index.js'
 * ```
 */
export function entryWithin(file: string, base: string): string {
  const path = file.startsWith('file:') ? fileURLToPath(file) : file;
  const rel = relative(base, path).split('\\').join('/');
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(`${path} is not inside ${base}: the runtime did not load the built package.`);
  }
  return rel;
}

/** The `version` of an installed package, read from the `package.json` at `packageJsonPath`. */
export function versionAt(packageJsonPath: string): string {
  const { version } = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string };
  return version;
}
