import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsdown';
import { describe, expect, it } from 'vitest';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** Every module specifier a bundle imports or requires (comments, i.e. TSDoc examples, aside). */
function specifiers(bundle: string): string[] {
  const code = bundle.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = new Set<string>();
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
    /^\s*import\s*["']([^"']+)["']/gm,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.add(m[1] ?? '');
  return [...found].sort();
}

describe('runs outside Node (Workers, Bun, Deno)', () => {
  it('the ESM and CJS bundles import only @torii/core and hono, never node:', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'torii-hono-bundle-'));
    try {
      await build({
        config: false,
        cwd: packageDir,
        entry: [join(packageDir, 'src/index.ts')],
        outDir,
        format: ['esm', 'cjs'],
        platform: 'neutral',
        dts: false,
        logLevel: 'silent',
      });
      const files = (await readdir(outDir)).filter((f) => /\.(c|m)?js$/.test(f));
      expect(files.length).toBe(2);
      for (const file of files) {
        const code = await readFile(join(outDir, file), 'utf8');
        expect(code).not.toMatch(/["']node:/);
        expect(specifiers(code)).toStrictEqual(['@torii/core', 'hono/factory']);
      }
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
