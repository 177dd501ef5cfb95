// The README shows the example tests and the CLI usage verbatim: change one, update the other.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { USAGE } from '../src/cli/parse-cli-args.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const readme = read('../README.md');

it.each(['./readme/express-route.test.ts', './readme/rest-mock-api.test.ts'])(
  'README contains %s verbatim',
  (file) => {
    expect(readme).toContain(`\`\`\`ts\n${read(file).trimEnd()}\n\`\`\``);
  },
);

it('README contains the CLI usage verbatim', () => {
  expect(readme).toContain(`\`\`\`text\n${USAGE}\n\`\`\``);
});

it('README has the sections Install → Quick start → API → CLI, in order', () => {
  const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  expect(headings).toEqual(['Install', 'Quick start', 'API', 'CLI']);
});
