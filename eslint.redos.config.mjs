// The ReDoS scan (`pnpm lint:redos`): every regular expression in the shipped sources of every
// package, checked for super-linear backtracking. Biome lints everything else; this config runs
// only these two rules, and any hit fails the scan.
import tsParser from '@typescript-eslint/parser';
import regexp from 'eslint-plugin-regexp';

export default [
  {
    files: ['packages/*/src/**/*.{ts,mts,cts,js,mjs,cjs}'],
    ignores: ['**/*.test.ts', '**/*.test-d.ts', '**/generated/**'],
    languageOptions: { parser: tsParser },
    plugins: { regexp },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { ignoreSticky: false, ignorePartial: false }],
    },
  },
];
