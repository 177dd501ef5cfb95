// The built package as users load it. CI builds first (turbo runs `build` before `test`); without
// a build these tests fail rather than skip, so a missing dist can never pass for a green run.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createTestIssuer } from '@torii/testing';
import Fastify from 'fastify';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const require = createRequire(import.meta.url);

/** The names a declaration file exports as values (types and interfaces left out). */
function declaredValueExports(file: string): string[] {
  // Only the file itself: what it exports and whether each export is a value does not depend on
  // the types it imports.
  const program = ts.createProgram([file], { noLib: true, noResolve: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`${file} is not a module`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .filter((symbol) => {
      // `export { type X }` is a type whatever X is (unresolved here: imports are not followed).
      const typeOnly = symbol.declarations?.some(
        (d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly),
      );
      if (typeOnly === true) return false;
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((symbol) => symbol.name)
    .sort();
}

describe('CommonJS build (dist/index.cjs)', () => {
  it.each(['index.cjs', 'index.d.cts', 'index.js', 'index.d.ts'])('dist/%s is built', (file) => {
    expect(existsSync(dist(file)), `dist/${file} is missing: run \`pnpm build\` first`).toBe(true);
  });

  it("require('@torii/fastify') is the plugin, with .default, .toriiAuth, .getAuth, .authorize", () => {
    const cjs = require(dist('index.cjs'));
    expect(typeof cjs).toBe('function');
    expect(cjs.default).toBe(cjs);
    expect(cjs.toriiAuth).toBe(cjs);
    expect(typeof cjs.getAuth).toBe('function');
    expect(typeof cjs.authorize).toBe('function');
    expect(typeof cjs.ToriiError).toBe('function');
  });

  it('exports exactly the values dist/index.d.cts declares, nothing more', () => {
    const declared = declaredValueExports(dist('index.d.cts'));
    // The full list is locked by src/exports.test.ts; here: the build matches the declarations.
    expect(declared).toEqual(
      expect.arrayContaining(['authorize', 'default', 'getAuth', 'toriiAuth', 'ToriiError']),
    );
    expect(Object.keys(require(dist('index.cjs'))).sort()).toEqual(declared);
  });

  it('the ESM build exports exactly the values dist/index.d.ts declares', async () => {
    const declared = declaredValueExports(dist('index.d.ts'));
    expect(Object.keys(await import(dist('index.js'))).sort()).toEqual(declared);
  });

  it('the required plugin protects routes', async () => {
    const issuer = await createTestIssuer();
    const app = Fastify();
    try {
      await app.register(require(dist('index.cjs')), { issuer: issuer.issuer });
      app.get('/x', async (request) => ({ userId: request.auth?.userId }));
      const denied = await app.inject({ url: '/x' });
      expect(denied.statusCode).toBe(401);
      const token = await issuer.sign({ sub: 'user_cjs' });
      const ok = await app.inject({ url: '/x', headers: { authorization: `Bearer ${token}` } });
      expect(ok.json()).toEqual({ userId: 'user_cjs' });
    } finally {
      await app.close();
      await issuer.close();
    }
  });
});
