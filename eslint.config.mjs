// Zero-warning lint: typescript-eslint recommended, plus the architecture boundaries as import rules.
import tseslint from 'typescript-eslint';

/** Modules the analysis core must not import: it reads no files and opens no connections. */
const NO_IO = [
  'vscode',
  'fs',
  'node:fs',
  'child_process',
  'node:child_process',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
];
const NO_EDITOR = [{ group: ['vscode-languageserver*', 'vscode-languageclient*', '**/lsp/*'] }];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      '.tools/**',
      'node_modules/**',
      '.test-runs/**',
      'test/e2e/workspace/**',
      'test/fixtures/**',
      'examples/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // stdout is the LSP channel under --stdio: the server must never print.
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/cli.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        {
          property: 'localeCompare',
          message:
            'Use compareStrings (core/text): localeCompare loads ICU collation data (~3 MB per server).',
        },
      ],
    },
  },
  {
    // The analysis core is editor-agnostic: plain data in, plain data out, no I/O.
    files: ['server/src/core/**/*.ts', 'server/src/deployment/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: NO_IO, patterns: NO_EDITOR }] },
  },
  {
    // Languages parse their own file kinds; deployment/ assembles what they found, never the other way round.
    files: ['server/src/languages/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NO_IO,
          patterns: [
            ...NO_EDITOR,
            {
              group: ['**/deployment/*', '**/deployment'],
              message: 'A language must not import deployment/: move the shared part into the language.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
