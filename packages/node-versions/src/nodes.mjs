/**
 * The extra Node versions and where their binaries are: npm's `node-<platform>-<arch>` packages
 * (the builds the `node` package installs), pinned as optional dependencies named
 * `node<major>-<platform>-<arch>` so that only the current platform's build is installed.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's directory. */
export const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The Node majors the suites run on, besides the Node that runs `pnpm test`. */
export const MAJORS = [22, 24];

/**
 * @typedef {object} NodeBuild
 * @property {number} major The major version, e.g. `22`.
 * @property {string} version The exact version pinned in `package.json`, e.g. `22.23.5`.
 * @property {string} binary Absolute path of the `node` executable.
 */

/**
 * The pinned Node build of `major` for this platform. Throws when the platform has no pinned
 * build or it is not installed: the run then fails rather than skipping a version.
 *
 * @param {number} major
 * @returns {NodeBuild}
 */
export function nodeBuild(major) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  /** @type {Record<string, string>} */
  const optional = manifest.optionalDependencies ?? {};
  const alias = `node${major}-${process.platform}-${process.arch}`;
  const spec = optional[alias];
  if (spec === undefined) {
    const pinned = Object.keys(optional).filter((name) => name.startsWith(`node${major}-`));
    throw new Error(
      `No Node ${major} build is pinned for ${process.platform}-${process.arch} (pinned: ${pinned.join(', ') || 'none'}): add node-${process.platform}-${process.arch} from npm as ${alias} in optionalDependencies, if npm has it at that version.`,
    );
  }
  const version = spec.slice(spec.lastIndexOf('@') + 1);
  if (!/^\d+\.\d+\.\d+$/.test(version) || !version.startsWith(`${major}.`)) {
    throw new Error(`${alias} must pin an exact Node ${major} version: ${spec}`);
  }
  const installed = join(packageDir, 'node_modules', alias, 'package.json');
  if (!existsSync(installed)) {
    throw new Error(`${alias} (${spec}) is not installed: run pnpm install.`);
  }
  const { bin } = JSON.parse(readFileSync(installed, 'utf8'));
  return { major, version, binary: join(dirname(installed), bin.node) };
}
