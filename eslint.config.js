import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * The boundary between the two server modules (P3): identity code may not import finance
 * code and vice versa. `tests/unit/boundary.test.ts` also scans the tree and proves the
 * check fails on a violating fixture.
 */
const boundary = (own, other) => ({
  files: [`server/${own}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `(^|/)${other}(/|$)`,
            message: `server/${own} must not import server/${other} (privacy invariant P3).`,
          },
        ],
      },
    ],
  },
});

export default ts.config(
  {
    ignores: [
      'build/',
      '.svelte-kit/',
      'node_modules/',
      'data/',
      'test-results/',
      'playwright-report/',
      'tests/fixtures/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        parser: ts.parser,
        svelteConfig,
      },
    },
    rules: {
      // Type-aware and 80 % of all lint time (over a minute on two cores). Stores here are
      // only svelte-i18n's `locale`/`_`, read as `$locale`/`$_`; a store rendered without `$`
      // would show as "[object Object]" on a screen the end-to-end tests read.
      'svelte/require-store-reactive-access': 'off',
    },
  },
  boundary('identity', 'finance'),
  boundary('finance', 'identity'),
);
