import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Hooks called in order, and effects that name what they read.
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // This code is async through and through (workers, storage, the network): a promise
    // nobody awaits or catches loses its error. Type-aware, so only where it pays.
    files: ['src/**/*.{ts,tsx}', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // The engine is a library: TensorFlow.js and plain TypeScript only, so it runs
    // unchanged in Node (tests, CLI) and in the browser (app, worker).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-*', 'react/*', 'plotly*', '@codemirror/*'], message: 'src/core must not depend on UI libraries.' },
            { group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'src/core must run in the browser too: no Node APIs.' },
            { group: ['**/ui/**', '**/cli/**', '**/worker/**', '**/exercises/**'], message: 'Arrows point into src/core, never out of it.' },
          ],
        },
      ],
    },
  },
  {
    // The lesson search runs at build time in Node and in the page, and the PyTorch
    // bridge in the page and in tests: plain TypeScript (and the engine, for the bridge).
    files: ['src/search/**/*.ts', 'src/bridge/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-*', 'react/*', 'plotly*', '@codemirror/*'], message: 'src/search and src/bridge are not UI.' },
            { group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'src/search and src/bridge run in the page too: no Node APIs (reading files is src/build\'s job).' },
            { group: ['**/ui/**', '**/cli/**', '**/worker/**', '**/exercises/**', '**/build/**'], message: 'Arrows point out of src/search and src/bridge, into src/core at most.' },
          ],
        },
      ],
    },
  },
);
