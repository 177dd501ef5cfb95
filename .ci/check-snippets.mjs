// Every TypeScript snippet of every README compiles in a fresh app that installed what the README
// says to install, from the packed tarballs.
//
//   node .ci/check-snippets.mjs [--keep]      (after `npx -y pnpm@12.4.2 build`)
//
// 1. Reads every README.md of the repository (node_modules and build output aside): each ```ts /
//    ```typescript block is a snippet, each `npm install …` line of a ```sh block an install line.
// 2. One scratch project per README (outside the repository, in a pnpm workspace so that each
//    project sees only its own dependencies, like a user's app): its dependencies are exactly the
//    packages of that README's install lines, `@torii/*` replaced by the packed tarballs, plus
//    what any fresh TypeScript app has (typescript, @types/node, the versions of this repository).
//    Each snippet is its own module, checked with `tsc --strict` and the rest of what
//    `tsc --init` (TypeScript 6, for Node) turns on: ESM, `module: nodenext`.
//    A snippet whose first line names a `.mjs` file ("// server.mjs — run with: node server.mjs")
//    must also be plain JavaScript: `node --check` parses it as that file.
// 3. Prints file:line and the compiler's message for every failing snippet and exits 1.
//
// A snippet is marked by HTML comments right above its fence, `<!-- snippet: … -->`:
//   fragment prelude=<name>[,<name>]   not a whole file: .ci/snippet-preludes/<name>.ts goes first
//                                      (and declares what the fragment uses from around it)
//   install-from=<README>[,<README>]   use the install lines of these READMEs instead of its own
//                                      (a root README snippet that belongs to a package; a testing
//                                      example whose app uses an adapter)
//   file=<path>                        the snippet's file name in its project (for snippets that
//                                      import each other, e.g. `../src/app.js`)
//   skip <reason>                      not TypeScript for a user to copy; the reason is required
import { execFile, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { PNPM, packPublic, root } from './lib/packages.mjs';

const started = Date.now();
const keep = process.argv.includes('--keep');
const preludeDir = join(root, '.ci', 'snippet-preludes');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** What every fresh TypeScript app on Node has, whatever the README says. */
const BASELINE = {
  typescript: rootManifest.devDependencies.typescript,
  '@types/node': rootManifest.devDependencies['@types/node'],
};

/**
 * `tsc --init` of TypeScript 6 with its "For nodejs" lines on, and no output; but without
 * `exactOptionalPropertyTypes`, which few apps turn on and which the SDK's option types do not
 * support yet (an `apiUrl: string | undefined` passed to `ToriiClient`, `address: undefined` in
 * `users.update`, `secretKey: config.get(…)` for `ToriiModule.forRootAsync` are refused under it).
 */
const COMPILER_OPTIONS = {
  module: 'nodenext',
  target: 'esnext',
  lib: ['esnext'],
  types: ['node'],
  noUncheckedIndexedAccess: true,
  strict: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noUncheckedSideEffectImports: true,
  moduleDetection: 'force',
  skipLibCheck: true,
  noEmit: true,
};

/** What `nest new` adds for decorators, for projects that install NestJS. */
const NEST_COMPILER_OPTIONS = { experimentalDecorators: true, emitDecoratorMetadata: true };

const problems = []; // { where, message }

// ---------------------------------------------------------------------------------------------
// 1. Read the READMEs.

function findReadmes(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) {
      if (['node_modules', 'dist', '.git', '.turbo', '.pack', 'coverage'].includes(entry.name)) {
        return [];
      }
      return findReadmes(join(dir, entry.name));
    }
    return entry.name === 'README.md' ? [join(dir, entry.name)] : [];
  });
}

/** `{ blocks, installs }` of one README; `blocks` are the ts blocks with their markers. */
function parseReadme(path) {
  const file = relative(root, path);
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks = [];
  const installs = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const lang = open[1];
    const start = i + 1; // index of the first code line
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    if (end === lines.length) {
      problems.push({ where: `${file}:${i + 1}`, message: 'code block is never closed' });
      break;
    }
    const code = lines.slice(start, end);
    if (lang === 'ts' || lang === 'typescript') {
      blocks.push({ readme: file, line: start + 1, code, marker: markerAbove(lines, i, file) });
    } else if (['sh', 'bash', 'shell', 'console'].includes(lang)) {
      code.forEach((text, k) => {
        const install = parseInstallLine(text);
        if (install) installs.push({ ...install, where: `${file}:${start + k + 1}` });
      });
    } else if (lines.slice(Math.max(0, i - 3), i).some((l) => l.includes('snippet:'))) {
      problems.push({ where: `${file}:${i + 1}`, message: 'a snippet marker on a non-ts block' });
    }
    i = end;
  }
  return { file, blocks, installs };
}

/** The `<!-- snippet: … -->` marker among the comment lines right above a fence. */
function markerAbove(lines, fence, file) {
  const marker = { fragment: false, preludes: [], installFrom: [], file: null, skip: null };
  for (let j = fence - 1; j >= 0 && /^<!--.*-->\s*$/.test(lines[j]); j--) {
    const match = /^<!--\s*snippet:\s*(.*?)\s*-->\s*$/.exec(lines[j]);
    if (!match) continue;
    const where = `${file}:${j + 1}`;
    const words = match[1].split(/\s+/);
    for (let w = 0; w < words.length; w++) {
      const [key, value] = words[w].split(/=(.*)/s);
      if (key === 'skip') {
        marker.skip = words
          .slice(w + 1)
          .join(' ')
          .replace(/^[—–:-]\s*/, '');
        if (marker.skip.replace(/[—–\-:()\s]/g, '') === '') {
          problems.push({
            where,
            message: 'snippet: skip needs a reason (why it is not TypeScript to copy)',
          });
        }
        break;
      }
      if (key === 'fragment' && value === undefined) marker.fragment = true;
      else if (key === 'prelude' && value) marker.preludes.push(...value.split(','));
      else if (key === 'install-from' && value) marker.installFrom.push(...value.split(','));
      else if (key === 'file' && value) marker.file = value;
      else problems.push({ where, message: `unknown snippet marker "${words[w]}"` });
    }
  }
  return marker;
}

/**
 * `npm install a b@1 -D c` (also `npm i`, `pnpm add`, `yarn add`) → `{ packages: [{ name, spec,
 * dev }], mentioned }`; `mentioned` are the `@torii/*` names anywhere on the line, comment included.
 */
function parseInstallLine(text) {
  const command = text.replace(/^\s*\$\s*/, '');
  const match = /^\s*(?:npm\s+(?:install|i|add)|pnpm\s+add|yarn\s+add)\b(.*)$/.exec(command);
  if (!match) return null;
  const args = match[1].split('#')[0].trim().split(/\s+/).filter(Boolean);
  const dev = args.some((a) => a === '-D' || a === '--save-dev' || a === '--dev');
  const packages = args
    .filter((a) => !a.startsWith('-'))
    .map((spec) => {
      const at = spec.lastIndexOf('@');
      return at > 0
        ? { name: spec.slice(0, at), spec: spec.slice(at + 1), dev }
        : { name: spec, spec: 'latest', dev };
    });
  const mentioned = [...text.matchAll(/@torii\/[a-z0-9-]+/g)].map((m) => m[0]);
  return { packages, mentioned };
}

/** Exact versions the workspace pins, by package name (from every package.json in it). */
const REPO_VERSIONS = (() => {
  const versions = new Map();
  const dirs = [
    '.',
    'bench',
    ...['packages', 'examples'].flatMap((d) => readdirSync(join(root, d)).map((n) => join(d, n))),
  ];
  for (const dir of dirs) {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    for (const deps of [manifest.dependencies, manifest.devDependencies]) {
      for (const [name, spec] of Object.entries(deps ?? {})) {
        if (/^\d+\.\d+\.\d+$/.test(spec) && !versions.has(name)) versions.set(name, spec);
      }
    }
  }
  return versions;
})();

const readmes = findReadmes(root).sort().map(parseReadme);
const byFile = new Map(readmes.map((r) => [r.file, r]));

// ---------------------------------------------------------------------------------------------
// 2. Group the snippets into projects (one per README whose install lines they use).

const projects = new Map(); // READMEs (joined) → { slug, readme, deps, devDeps, files: [] }
const skipped = [];
const javascript = []; // snippets that say they are a .mjs file
let fragments = 0;

/** The project installed as `readmeFiles` say (one README, or the union of several). */
function projectFor(readmeFiles, where) {
  const files = [...new Set(readmeFiles)].sort();
  const missing = files.filter((f) => !byFile.has(f));
  if (missing.length > 0) {
    problems.push({ where, message: `install-from=${missing.join(',')}: no such README` });
    return null;
  }
  const key = files.join(',');
  if (!projects.has(key)) {
    const slug = files
      .map((f) => (f === 'README.md' ? 'root' : dirname(f).replaceAll('/', '-')))
      .join('+');
    const deps = {};
    const devDeps = {};
    for (const install of files.flatMap((f) => byFile.get(f).installs)) {
      for (const { name, spec, dev } of install.packages) (dev ? devDeps : deps)[name] = spec;
    }
    projects.set(key, { slug, readme: key, deps, devDeps, files: [] });
  }
  return projects.get(key);
}

for (const readme of readmes) {
  for (const block of readme.blocks) {
    const where = `${block.readme}:${block.line}`;
    const { marker } = block;
    if (marker.skip !== null) {
      skipped.push(`${where} (${marker.skip})`);
      continue;
    }
    if (marker.fragment !== marker.preludes.length > 0) {
      problems.push({ where, message: 'a fragment names its prelude: "fragment prelude=<name>"' });
      continue;
    }
    const installFrom = marker.installFrom.length > 0 ? marker.installFrom : [block.readme];
    const project = projectFor(installFrom, where);
    if (!project) continue;
    const segments = [];
    for (const name of marker.preludes) {
      const path = join(preludeDir, `${name}.ts`);
      if (!existsSync(path)) {
        problems.push({ where, message: `prelude "${name}": no ${relative(root, path)}` });
        continue;
      }
      const text = readFileSync(path, 'utf8').replace(/\n$/, '');
      segments.push({ source: relative(root, path), firstLine: 1, lines: text.split('\n') });
    }
    if (marker.fragment) fragments++;
    else if (/^\/\/\s*[\w.-]+\.mjs\b/.test(block.code[0] ?? '')) javascript.push(block);
    segments.push({ source: block.readme, firstLine: block.line, lines: block.code });
    const fileName = marker.file ?? `${block.readme.replaceAll('/', '_')}_L${block.line}.ts`;
    if (project.files.some((f) => f.fileName === fileName)) {
      problems.push({
        where,
        message: `file=${fileName} is used twice in ${project.readme}'s project`,
      });
      continue;
    }
    project.files.push({ fileName, where, segments });
  }
}

// Every package a snippet imports must be installed by its project's install lines.
const builtins = new Set(builtinModules);
for (const project of projects.values()) {
  const installed = new Set([...Object.keys(project.deps), ...Object.keys(project.devDeps)]);
  for (const file of project.files) {
    const code = file.segments.flatMap((s) => s.lines).join('\n');
    const specifiers = [
      ...code.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g),
      ...code.matchAll(/(?:^|[\s;])import\s*\(?\s*['"]([^'"]+)['"]/g),
      ...code.matchAll(/declare\s+module\s+['"]([^'"]+)['"]/g),
    ].map((m) => m[1]);
    for (const specifier of new Set(specifiers)) {
      if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
      const name = specifier.startsWith('@')
        ? specifier.split('/').slice(0, 2).join('/')
        : specifier.split('/')[0];
      if (builtins.has(name) || installed.has(name)) continue;
      problems.push({
        where: file.where,
        message: `imports "${specifier}", which no install line of ${project.readme} installs`,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Pack, write the scratch workspace, install, type-check.

const scratch = mkdtempSync(join(tmpdir(), 'torii-snippets-'));
const cleanup = () => {
  if (keep) console.log(`scratch workspace kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
};

try {
  const packed = packPublic(join(scratch, 'tarballs'));
  const tarballs = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
  for (const readme of readmes) {
    for (const install of readme.installs) {
      const names = [...install.mentioned, ...install.packages.map((p) => p.name)];
      for (const name of names.filter((n) => n.startsWith('@torii/'))) {
        if (!tarballs[name]) {
          problems.push({ where: install.where, message: `${name} is not a published package` });
        }
      }
    }
  }

  // An install line without a version gets the version this repository tests with (so a new
  // upstream major cannot turn CI red overnight); packages the repo does not use get `latest`.
  const torii = (deps) =>
    Object.fromEntries(
      Object.entries(deps).map(([n, spec]) => [
        n,
        tarballs[n] ?? (spec === 'latest' ? (REPO_VERSIONS.get(n) ?? spec) : spec),
      ]),
    );
  writeFileSync(
    join(scratch, 'package.json'),
    `${JSON.stringify({ name: 'snippets', private: true, devDependencies: BASELINE }, null, 2)}\n`,
  );
  writeFileSync(
    join(scratch, 'pnpm-workspace.yaml'),
    [
      'packages: ["p/*"]',
      // A README that forgets a peer dependency must fail, not have it installed behind its back.
      'autoInstallPeers: false',
      'strictPeerDependencies: false',
      // Packages depend on @torii/core: the tarball, never a registry copy.
      'overrides:',
      ...Object.entries(tarballs).map(([n, t]) => `  "${n}": "${t}"`),
      '',
    ].join('\n'),
  );
  for (const project of projects.values()) {
    if (project.files.length === 0) continue;
    const dir = join(scratch, 'p', project.slug);
    mkdirSync(dir, { recursive: true });
    const manifest = {
      name: `snippets-${project.slug}`,
      private: true,
      type: 'module',
      dependencies: torii(project.deps),
      devDependencies: torii(project.devDeps),
    };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const nest = '@nestjs/core' in project.deps || '@nestjs/common' in project.deps;
    const compilerOptions = { ...COMPILER_OPTIONS, ...(nest ? NEST_COMPILER_OPTIONS : {}) };
    writeFileSync(
      join(dir, 'tsconfig.json'),
      `${JSON.stringify({ compilerOptions, include: ['**/*.ts'], exclude: ['node_modules'] }, null, 2)}\n`,
    );
    for (const file of project.files) {
      const path = join(dir, file.fileName);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${file.segments.flatMap((s) => s.lines).join('\n')}\n`);
    }
  }

  console.log(`installing ${projects.size} snippet projects in ${scratch}`);
  execFileSync(
    PNPM[0],
    [...PNPM.slice(1), 'install', '--config.confirmModulesPurge=false', '--reporter=append-only'],
    { cwd: scratch, stdio: ['ignore', 'inherit', 'inherit'] },
  );

  mkdirSync(join(scratch, 'mjs'));
  for (const block of javascript) {
    const path = join(scratch, 'mjs', `${block.readme.replaceAll('/', '_')}_L${block.line}.mjs`);
    writeFileSync(path, `${block.code.join('\n')}\n`);
    const { code, output } = await run(process.execPath, ['--check', path], scratch);
    if (code === 0) continue;
    const line = Number(new RegExp(`${path}:(\\d+)`).exec(output)?.[1] ?? 1);
    const message = output.split('\n').find((l) => /Error/.test(l)) ?? output;
    problems.push({
      where: `${block.readme}:${block.line + line - 1}`,
      message: `not plain JavaScript, yet it says it is a .mjs file: ${message.trim()}`,
    });
  }

  const tsc = join(scratch, 'node_modules', 'typescript', 'bin', 'tsc');
  const checks = [...projects.values()].filter((p) => p.files.length > 0);
  const results = await inParallel(2, checks, (project) =>
    run(process.execPath, [tsc, '-p', join('p', project.slug), '--pretty', 'false'], scratch),
  );
  checks.forEach((project, k) => {
    for (const error of parseTscOutput(results[k])) {
      const file = project.files.find((f) => join('p', project.slug, f.fileName) === error.file);
      problems.push({
        where: file ? sourceOf(file, error.line) : `${error.file}:${error.line}`,
        message: error.message,
        snippet: file?.where,
      });
    }
    if (results[k].code !== 0 && !parseTscOutput(results[k]).length) {
      problems.push({ where: project.readme, message: `tsc failed:\n${results[k].output}` });
    }
  });
} catch (error) {
  problems.push({ where: 'check-snippets', message: error.stack ?? String(error) });
} finally {
  cleanup();
}

// ---------------------------------------------------------------------------------------------
// 4. Report.

const checked = [...projects.values()].reduce((n, p) => n + p.files.length, 0);
const asJs = javascript.length ? `, ${javascript.length} also as .mjs` : '';
const seconds = ((Date.now() - started) / 1000).toFixed(0);
for (const s of skipped) console.log(`skipped: ${s}`);
if (problems.length > 0) {
  console.log('');
  for (const { where, message, snippet } of problems) {
    const from =
      snippet && !where.startsWith(snippet.split(':')[0]) ? ` (snippet at ${snippet})` : '';
    console.log(`${where}${from}: ${message}`);
  }
}
const failedSnippets = new Set(problems.map((p) => p.snippet ?? p.where)).size;
console.log(
  `\nsnippets: ${checked} checked (${fragments} fragments with a prelude${asJs}) in ${projects.size} ` +
    `projects, ${skipped.length} skipped; ${problems.length ? `${failedSnippets} FAILED` : 'all compile'} (${seconds} s)`,
);
process.exit(problems.length > 0 ? 1 : 0);

// ---------------------------------------------------------------------------------------------

/** The README (or prelude) line of line `line` of a written snippet file. */
function sourceOf(file, line) {
  let at = 1;
  for (const segment of file.segments) {
    if (line < at + segment.lines.length)
      return `${segment.source}:${segment.firstLine + (line - at)}`;
    at += segment.lines.length;
  }
  return `${file.where} (past its end, line ${line})`;
}

/** tsc `--pretty false` output → `{ file, line, message }` (continuation lines kept). */
function parseTscOutput({ output }) {
  const errors = [];
  for (const text of output.split('\n')) {
    const match = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(text);
    if (match) errors.push({ file: match[1], line: Number(match[2]), message: match[4] });
    else if (text.startsWith(' ') && errors.length) errors.at(-1).message += `\n    ${text.trim()}`;
  }
  return errors;
}

function run(command, args, cwd) {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

async function inParallel(limit, items, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      results[k] = await task(items[k]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
