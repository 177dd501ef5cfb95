// The README shows the mock-API example test and the CLI usage verbatim, and the Express example
// as a trimmed copy of examples/express: change one, update the other.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { USAGE } from '../src/cli/parse-cli-args.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const readme = read('../README.md');

it('README contains ./readme/rest-mock-api.test.ts verbatim', () => {
  expect(readme).toContain(`\`\`\`ts\n${read('./readme/rest-mock-api.test.ts').trimEnd()}\n\`\`\``);
});

/** The code block that follows `<!-- trimmed from <file> -->` in the README. */
function trimmedBlock(file: string): string[] {
  const marker = `<!-- trimmed from ${file} -->\n\`\`\`ts\n`;
  const start = readme.indexOf(marker);
  expect(start, `README has no block marked "trimmed from ${file}"`).toBeGreaterThan(-1);
  const body = readme.slice(start + marker.length, readme.indexOf('\n```', start + marker.length));
  return body.split('\n');
}

/**
 * The README lines that are not in `source` in the same order (blank lines and `// …` notes of
 * what was left out are skipped): empty when the README block is a trimmed copy of the file.
 */
function linesNotInOrder(block: string[], source: string[]): string[] {
  const missing: string[] = [];
  let at = 0;
  for (const line of block) {
    if (line.trim() === '' || line.trim().startsWith('// …')) continue;
    const found = source.indexOf(line, at);
    if (found === -1) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

it.each(['examples/express/src/app.ts', 'examples/express/test/me.test.ts'])(
  'README shows a trimmed copy of %s: every line, in order',
  (file) => {
    const source = read(`../../../${file}`).split('\n');
    const block = trimmedBlock(file);
    expect(block.length).toBeGreaterThan(10);
    expect(linesNotInOrder(block, source)).toEqual([]);
  },
);

it('the trimmed-copy check catches an edited or reordered line', () => {
  const source = ['a();', 'b();', 'c();'];
  expect(linesNotInOrder(['a();', '', '// … left out', 'c();'], source)).toEqual([]);
  expect(linesNotInOrder(['a();', 'B();'], source)).toEqual(['B();']);
  expect(linesNotInOrder(['c();', 'a();'], source)).toEqual(['a();']);
});

it('README contains the CLI usage verbatim', () => {
  expect(readme).toContain(`\`\`\`text\n${USAGE}\n\`\`\``);
});

it('README has the sections Install → Quick start → API → CLI, in order', () => {
  const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  expect(headings).toEqual(['Install', 'Quick start', 'API', 'CLI']);
});
