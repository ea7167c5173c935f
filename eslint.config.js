// Lint rules: typescript-eslint's type-checked recommendations everywhere, no stray console
// output in application code (logging goes through app/core/logger.ts), and the layers:
//   app/           the core: no electron, no react, nothing of main/ or renderer/
//   app/core/      below app/book: never imports it
//   renderer/      the UI: imports the contract (main/contract.ts) and nothing else of ours
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const APP_PATHS = ['electron', 'react', 'react-dom'].map((name) => ({ name, message: 'app/ is the core, free of Electron and React.' }));
const APP_PATTERNS = [
  { regex: '^(electron|react|react-dom)/', message: 'app/ is the core, free of Electron and React.' },
  { regex: '(^|/)(main|renderer)/', message: 'app/ never imports main/ or renderer/: they build on it.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'release/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs'] } },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['app/**/*.ts', 'main/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: APP_PATHS, patterns: APP_PATTERNS }] },
  },
  {
    files: ['app/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: APP_PATHS,
          patterns: [
            ...APP_PATTERNS,
            { regex: '(^|/)book/', message: 'app/core is below app/book and never imports it (book types it needs live in app/core/types.ts).' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches the host only through the contract.' }],
          patterns: [
            { regex: '^node:', message: 'The renderer runs in a browser sandbox: no Node modules.' },
            { regex: '(^|/)app/', message: 'The renderer imports only the contract (main/contract.ts), never app/.' },
            { regex: '(^|/)main/(?!contract(\\.js)?$)', message: 'The renderer imports only the contract (main/contract.ts) of main/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
