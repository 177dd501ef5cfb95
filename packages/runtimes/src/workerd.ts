/**
 * Runs the checks on workerd, the Cloudflare Workers runtime, through Miniflare. The Worker is
 * bundled the way `wrangler` bundles one: esbuild, ESM, target es2024, conditions `workerd`,
 * `worker`, `browser` (wrangler's defaults), no `nodejs_compat` flag, so a `node:` import
 * anywhere in what `@torii/core` or `@torii/hono` pull in fails the bundle or the Worker.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { join, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import type { RuntimeInput, RuntimeReport } from '../fixtures/protocol.ts';
import {
  coreDir,
  entryWithin,
  honoDir,
  packageDir,
  type RuntimeRun,
  versionAt,
} from './runtime-run.ts';

const require = createRequire(import.meta.url);

/** The compatibility date of the test Worker (within what the pinned workerd supports). */
export const COMPATIBILITY_DATE = '2026-07-01';

/** The export conditions wrangler bundles with (`getBuildConditions()` in wrangler 4). */
export const WRANGLER_CONDITIONS = ['workerd', 'worker', 'browser'];

/** A bundled Worker and the files of a package it took in. */
interface WorkerBundle {
  code: string;
  /** Absolute paths of every input file of the bundle. */
  inputs: string[];
}

async function bundleWorker(): Promise<WorkerBundle> {
  const result = await build({
    absWorkingDir: packageDir,
    entryPoints: [join('fixtures', 'worker.ts')],
    outfile: 'worker.js',
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    target: 'es2024',
    conditions: WRANGLER_CONDITIONS,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text;
  if (code === undefined) throw new Error('esbuild wrote no worker.js');
  return { code, inputs: Object.keys(result.metafile.inputs).map((f) => resolve(packageDir, f)) };
}

/** The one `dist/index*.js` entry of the package at `base` among the bundle's inputs. */
function bundledEntry(inputs: string[], base: string): string {
  const entries = inputs
    .filter((file) => file.startsWith(base + sep))
    .map((file) => entryWithin(file, base))
    .filter((file) => /^dist\/index(\.[a-z]+)?\.js$/.test(file));
  if (entries.length !== 1) {
    throw new Error(
      `expected one entry of ${base} in the Worker bundle, got: ${entries.join(', ')}`,
    );
  }
  return entries[0]!;
}

/** Versions of the installed `miniflare` and of the `workerd` it runs. */
export function workerdVersions(): { miniflare: string; workerd: string } {
  const miniflarePackage = require.resolve('miniflare/package.json');
  const workerdPackage = createRequire(miniflarePackage).resolve('workerd/package.json');
  return { miniflare: versionAt(miniflarePackage), workerd: versionAt(workerdPackage) };
}

/**
 * Bundles `fixtures/worker.ts`, starts it on workerd (Miniflare, on 127.0.0.1 with port 0),
 * posts the input and returns the Worker's report. Miniflare is disposed either way.
 *
 * @example
 * ```ts
 * const run = await runOnWorkerd(input);
 * run.coreEntry; // 'dist/index.js'
 * ```
 */
export async function runOnWorkerd(input: RuntimeInput): Promise<RuntimeRun> {
  const bundle = await bundleWorker();
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    compatibilityDate: COMPATIBILITY_DATE,
    modules: [{ type: 'ESModule', path: 'worker.js', contents: bundle.code }],
  });
  try {
    const response = await mf.dispatchFetch('http://localhost/checks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(`the Worker answered ${response.status}: ${text}`);
    }
    return {
      runtime: 'workerd',
      version: workerdVersions().workerd,
      coreEntry: bundledEntry(bundle.inputs, coreDir),
      honoEntry: bundledEntry(bundle.inputs, honoDir),
      report: JSON.parse(text) as RuntimeReport,
    };
  } finally {
    await mf.dispose();
  }
}
