// What users get from the registry, shared by .ci/check-packages and .ci/check-snippets.mjs:
// the public packages, packed by pnpm into tarballs, whose contents are checked here, and the
// dependencies that install those tarballs into a scratch app instead of anything from a registry.
//
// As a script:
//   node .ci/lib/packages.mjs pack <dir>                     pack every public package into <dir>
//                                                            and check each tarball's contents
//   node .ci/lib/packages.mjs scratch-app <dir> [name@ver…]  write ./package.json of a scratch app
//                                                            that installs the tarballs of <dir>
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The pnpm every CI step uses. */
export const PNPM = ['npx', '-y', 'pnpm@12.4.2'];

/** Every `packages/*` package that is not private: `{ dir, name, version }`. */
export function publicPackages() {
  return readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ dir, name: manifest.name, version: manifest.version }));
}

/**
 * Pack every public package into `dest` (emptied first) with one `pnpm pack` (which replaces
 * `workspace:` ranges and adds the workspace root's LICENSE). Needs the packages built.
 * Returns `{ name, dir, tarball }` per package.
 */
export function packPublic(dest) {
  const packages = publicPackages();
  for (const { name, dir } of packages) {
    if (!existsSync(join(dir, 'dist'))) {
      throw new Error(`${name} has no dist/: run \`npx -y pnpm@12.4.2 build\` first.`);
    }
  }
  rmSync(dest, { recursive: true, force: true });
  const filters = packages.flatMap(({ dir }) => ['--filter', `./${relative(root, dir)}`]);
  const out = execFileSync(
    PNPM[0],
    [...PNPM.slice(1), ...filters, 'pack', '--pack-destination', dest, '--json'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const packed = [JSON.parse(out)].flat();
  return packages.map((pkg) => {
    const entry = packed.find((p) => p.name === pkg.name);
    if (!entry) throw new Error(`pnpm pack wrote no tarball for ${pkg.name}`);
    return { ...pkg, tarball: resolve(dest, entry.filename) };
  });
}

/**
 * What is wrong with a packed tarball, as messages (none: fine): the LICENSE must be the
 * repository's; no declaration maps; every `sourceMappingURL` must name a file in the tarball and
 * every source of a map must be embedded or shipped; the manifest must say MIT and publish
 * publicly with provenance.
 */
export function tarballProblems(tarball) {
  const dir = mkdtempSync(join(tmpdir(), 'torii-tarball-'));
  try {
    execFileSync('tar', ['xzf', tarball, '-C', dir]);
    const pkg = join(dir, 'package');
    const files = listFiles(pkg);
    const has = new Set(files);
    const problems = [];

    if (!has.has('LICENSE')) problems.push('no LICENSE');
    else if (read(pkg, 'LICENSE') !== read(root, 'LICENSE')) {
      problems.push('LICENSE differs from the repository LICENSE');
    }
    for (const file of files.filter((f) => /\.d\.[cm]?ts\.map$/.test(f))) {
      problems.push(`${file}: a declaration map (it would point at src/, which is not shipped)`);
    }
    for (const file of files.filter((f) => /\.(?:[cm]?js|d\.[cm]?ts)$/.test(f))) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(pkg, file))?.[1];
      if (url === undefined || url.startsWith('data:')) continue;
      const target = posix.join(posix.dirname(file), url);
      if (!has.has(target)) problems.push(`${file}: sourceMappingURL=${url}, not in the tarball`);
    }
    for (const file of files.filter((f) => f.endsWith('.map'))) {
      const map = JSON.parse(read(pkg, file));
      map.sources.forEach((source, i) => {
        const shipped = has.has(posix.join(posix.dirname(file), source));
        if (!shipped && typeof map.sourcesContent?.[i] !== 'string') {
          problems.push(`${file}: source ${source} is neither embedded nor shipped`);
        }
      });
    }
    const manifest = JSON.parse(read(pkg, 'package.json'));
    if (manifest.license !== 'MIT') problems.push(`license is ${manifest.license}, not MIT`);
    const { access, provenance } = manifest.publishConfig ?? {};
    if (access !== 'public' || provenance !== true) {
      problems.push('publishConfig must be { access: "public", provenance: true }');
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Dependencies that install the packed tarballs of `packDir`: `{ '@torii/x': 'file:/…/torii-x-….tgz' }`.
 * Use them both as dependencies and as overrides, so a package's own `@torii/core` dependency is
 * the tarball too, never a registry copy.
 */
export function tarballDependencies(packDir) {
  const deps = {};
  for (const file of readdirSync(packDir)) {
    const match = /^torii-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(file);
    if (match) deps[`@torii/${match[1]}`] = `file:${join(packDir, file)}`;
  }
  return deps;
}

function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, path) : [path];
  });
}

function read(dir, file) {
  return readFileSync(join(dir, file), 'utf8');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, dir, ...rest] = process.argv.slice(2);
  if (command === 'pack' && dir) {
    let failed = false;
    for (const { name, tarball } of packPublic(resolve(dir))) {
      const problems = tarballProblems(tarball);
      failed ||= problems.length > 0;
      console.log(`${name}: ${problems.length ? 'FAILED' : 'ok'} (${tarball})`);
      for (const problem of problems) console.log(`  ${problem}`);
    }
    process.exit(failed ? 1 : 0);
  } else if (command === 'scratch-app' && dir) {
    const deps = tarballDependencies(resolve(dir));
    const extra = Object.fromEntries(
      rest.map((spec) => {
        const at = spec.lastIndexOf('@');
        return [spec.slice(0, at), spec.slice(at + 1)];
      }),
    );
    const pkg = {
      name: 'scratch',
      private: true,
      dependencies: { ...deps, ...extra },
      overrides: deps,
    };
    writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  } else {
    console.error('usage: packages.mjs pack <dir> | scratch-app <dir> [name@version…]');
    process.exit(2);
  }
}
