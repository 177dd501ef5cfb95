import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layer rule of docs/ARCHITECTURE.md, checked on the shipped sources: a request flows down
 * http → verification → jwks → jwt → shared, and imports only ever point down. The REST client
 * and webhooks sit beside the token layers and use only `shared/` (and the generated types).
 * Root files are the entries (which may import anything) and the shared contracts (which import
 * only each other).
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  http: ['verification', 'jwks', 'jwt', 'shared'],
  verification: ['jwks', 'jwt', 'shared'],
  jwks: ['jwt', 'shared'],
  jwt: ['shared'],
  client: ['shared', 'generated'],
  webhooks: ['shared'],
  shared: [],
  generated: [],
};
const ENTRIES = new Set(['index.ts', 'index.node.ts']);
const CONTRACTS = new Set([
  'auth.ts',
  'errors.ts',
  'observability.ts',
  'options.ts',
  'request-like.ts',
]);

const SRC = dirname(fileURLToPath(import.meta.url));

function shippedSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return shippedSources(path);
    return /\.ts$/.test(name) && !/\.test(-d)?\.ts$/.test(name) ? [path] : [];
  });
}

/** Every relative specifier a file imports or re-exports, type-only ones included. */
function relativeImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] as string);
}

/** `'http'` for `src/http/x.ts`, `'.'` for a root file. */
function layerOf(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes('/') ? (rel.split('/')[0] as string) : '.';
}

/** Why `name` (a path under src/) may not import `specifier`, or `null` when it may. */
function violation(name: string, specifier: string): string | null {
  const file = join(SRC, name);
  const from = layerOf(file);
  const target = resolve(dirname(file), specifier);
  const to = layerOf(target);
  const targetName = relative(SRC, target).replace(/\.js$/, '.ts');
  if (from === '.') {
    if (ENTRIES.has(name)) return null;
    return to === '.' && CONTRACTS.has(targetName) ? null : `${name} → ${targetName}`;
  }
  if (to === from) return null;
  if (to === '.') return CONTRACTS.has(targetName) ? null : `${name} → ${targetName} (an entry)`;
  return (MAY_IMPORT[from] ?? []).includes(to) ? null : `${name} → ${targetName}`;
}

function violations(): string[] {
  return shippedSources(SRC).flatMap((file) =>
    relativeImports(file)
      .map((specifier) => violation(relative(SRC, file), specifier))
      .filter((v): v is string => v !== null),
  );
}

describe('the layers of @torii/core (docs/ARCHITECTURE.md)', () => {
  it('has exactly these folders, each a layer with a rule', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.sort()).toEqual(Object.keys(MAY_IMPORT).sort());
  });

  it('keeps only entries and shared contracts at the root', () => {
    const rootFiles = shippedSources(SRC).filter((f) => layerOf(f) === '.');
    for (const file of rootFiles) {
      const name = relative(SRC, file);
      expect(ENTRIES.has(name) || CONTRACTS.has(name), name).toBe(true);
    }
  });

  it('imports only downwards: no layer imports a layer above it or beside it', () => {
    expect(violations()).toEqual([]);
  });

  it.each([
    ['verification/verifier.ts', '../http/bearer-token.js'],
    ['client/config.ts', '../verification/issuer.js'],
    ['webhooks/verify-webhook.ts', '../http/types.js'],
    ['jwt/verify-jws.ts', '../jwks/key-set.js'],
    ['shared/url-rules.ts', '../verification/issuer.js'],
    ['options.ts', './http/types.js'],
    ['http/auth-guard.ts', '../index.js'],
  ])('reports the upward or sideways import %s → %s', (name, specifier) => {
    expect(violation(name, specifier)).not.toBeNull();
  });

  it('allows downward imports and contracts', () => {
    expect(violation('http/request-verifier.ts', '../verification/verifier.js')).toBeNull();
    expect(violation('client/config.ts', '../shared/url-rules.js')).toBeNull();
    expect(violation('jwks/key-set.ts', '../errors.js')).toBeNull();
  });
});
