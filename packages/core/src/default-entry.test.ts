import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(SRC, '../dist');

/** Runtime import specifiers of a TS/JS source (type-only imports and exports are erased). */
function runtimeSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) found.push(match[1] as string);
  }
  return found;
}

function isNodeBuiltin(specifier: string): boolean {
  return (
    specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] as string)
  );
}

/**
 * Every file reachable from `entry` through runtime relative imports, with the runtime specifiers
 * of each. `locate(file, specifier)` names the file a relative specifier of `file` loads.
 */
function importGraph(
  entry: string,
  locate: (file: string, specifier: string) => string,
): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (graph.has(file)) continue;
    const specifiers = runtimeSpecifiers(readFileSync(file, 'utf8'));
    graph.set(file, specifiers);
    for (const specifier of specifiers.filter((s) => s.startsWith('.'))) {
      pending.push(locate(file, specifier));
    }
  }
  return graph;
}

/** Every source file reachable from `src/index.ts` (a `./x.js` specifier is `x.ts` or `x/index.ts`). */
function defaultEntryGraph(): Map<string, string[]> {
  return importGraph(join(SRC, 'index.ts'), (file, specifier) => {
    const base = resolve(dirname(file), specifier).replace(/\.js$/, '');
    const candidates = [`${base}.ts`, join(base, 'index.ts')];
    const target = candidates.find((c) => existsSync(c));
    if (target === undefined) throw new Error(`${file}: cannot resolve ${specifier}`);
    return target;
  });
}

/** Every built file reachable from `dist/<entry>` through relative imports and requires. */
function distGraph(entry: string): Map<string, string[]> {
  return importGraph(join(DIST, entry), (file, specifier) => resolve(dirname(file), specifier));
}

const built = (graph: Map<string, string[]>) =>
  [...graph.keys()].map((file) => file.slice(DIST.length + 1)).sort();

describe('the default entry runs on any runtime with fetch and Web Crypto', () => {
  it('finds the imports it checks (the scanner works)', () => {
    expect(
      runtimeSpecifiers(
        `import { a } from './a.js';\nimport type { B } from 'node:b';\nexport * from "./c.js";\nconst x = await import('node:fs');`,
      ),
    ).toEqual(['./a.js', './c.js', 'node:fs']);
    expect(isNodeBuiltin('node:crypto')).toBe(true);
    expect(isNodeBuiltin('crypto')).toBe(true);
    expect(isNodeBuiltin('jose')).toBe(false);
  });

  it('has no node: or Node built-in import anywhere in the source graph of src/index.ts', () => {
    const graph = defaultEntryGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(graph.has(join(SRC, 'verification/verifier.ts'))).toBe(true);
    const offenders = [...graph].flatMap(([file, specifiers]) =>
      specifiers.filter(isNodeBuiltin).map((s) => `${file.slice(SRC.length + 1)} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('does not reach the node backend or the node entry from src/index.ts', () => {
    const graph = defaultEntryGraph();
    expect(graph.has(join(SRC, 'jwt/es256.ts'))).toBe(true);
    expect(graph.has(join(SRC, 'jwt/es256.node.ts'))).toBe(false);
    expect(graph.has(join(SRC, 'index.node.ts'))).toBe(false);
  });

  it('has no node: import in the built dist/index.js and dist/index.cjs', () => {
    for (const file of ['index.js', 'index.cjs']) {
      const code = readFileSync(join(DIST, file), 'utf8');
      expect(runtimeSpecifiers(code).filter(isNodeBuiltin)).toEqual([]);
      expect(code).not.toMatch(/['"]node:/);
    }
  });

  it('loads no chunk with a node: import, and never the node entry, from dist/index.js or dist/index.cjs', () => {
    for (const entry of ['index.js', 'index.cjs']) {
      const graph = distGraph(entry);
      const files = built(graph);
      // The facade and the shared chunk the node entry also loads (one backend slot per format).
      expect(files).toHaveLength(2);
      expect(files.some((f) => f.startsWith('index.node'))).toBe(false);
      for (const [file, specifiers] of graph) {
        expect({ file, builtins: specifiers.filter(isNodeBuiltin) }).toEqual({
          file,
          builtins: [],
        });
        expect(readFileSync(file, 'utf8')).not.toMatch(/['"]node:/);
      }
    }
  });

  it('the node entry loads the same shared chunk as the default entry, plus node:crypto and node:async_hooks', () => {
    for (const [plain, node] of [
      ['index.js', 'index.node.js'],
      ['index.cjs', 'index.node.cjs'],
    ] as const) {
      const shared = built(distGraph(plain)).filter((f) => f !== plain);
      expect(built(distGraph(node))).toEqual([node, ...shared].sort());
      expect(
        runtimeSpecifiers(readFileSync(join(DIST, node), 'utf8'))
          .filter(isNodeBuiltin)
          .sort(),
      ).toEqual(['node:async_hooks', 'node:crypto']);
    }
  });
});
