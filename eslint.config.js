import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';
import regexp from 'eslint-plugin-regexp';

/**
 * The layers, enforced: the engine is a library that knows nothing of the service, its adapters, the CLI or
 * the functions; the service domain (use cases, records, ports) knows no adapter, CLI or function; adapters
 * implement the ports and never reach into the CLI or the functions; `shared/common/` (small helpers such as
 * the CSV writer, used by both the analysis and the service layers) imports none of them. `functions/`, `shared/cli/` and
 * `scripts/` are the composition roots that wire adapters to use cases.
 */
const layers = [
  {
    target: './shared/common',
    from: [
      './shared/engine',
      './shared/service',
      './shared/analysis',
      './shared/adapters',
      './shared/cli',
      './shared/web',
      './functions',
    ],
    message: 'shared/common holds small helpers every layer may import (the CSV writer); it imports no layer.',
  },
  {
    target: './shared/engine',
    from: ['./shared/service', './shared/adapters', './shared/cli', './functions'],
    message: 'The engine imports nothing from the service, adapters, CLI or functions (it is given an OcrFactory).',
  },
  {
    target: './shared/service',
    from: ['./shared/adapters', './shared/cli', './functions'],
    message: 'Domain code talks to ports (shared/service/ports.ts); adapters are wired in by functions/ or the CLI.',
  },
  {
    target: './shared/analysis',
    from: ['./shared/adapters', './shared/cli', './functions'],
    message: 'The analysis domain is pure: adapters (the Gemini engine) implement its Analyzer port, not the reverse.',
  },
  {
    target: './shared/analysis',
    from: './shared/service',
    except: ['./ports.ts'],
    message: 'The analysis domain may use the service ports (types), never its use cases, HTTP or stores.',
  },
  {
    target: './shared/web',
    from: [
      './shared/engine',
      './shared/service',
      './shared/adapters',
      './shared/analysis',
      './shared/cli',
      './functions',
    ],
    message: 'The web page runs in the browser: it talks to the API through shared/client only.',
  },
  {
    target: './shared/adapters',
    from: ['./shared/cli', './functions'],
    message: 'Adapters implement ports; they never depend on the CLI or the deployed functions.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.bench/**', '.mdraft/**', 'shared/client/openapi.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        setImmediate: 'readonly',
        AbortController: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['shared/**/*.ts', 'shared/**/*.tsx', 'functions/**/*.ts'],
    plugins: { 'import-x': importX },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layers }] },
  },
  {
    // Untrusted bytes reach these patterns: none may backtrack super-linearly (a 225-byte upload once froze the
    // server for 27 s in format detection).
    files: ['shared/**/*.ts', 'functions/**/*.ts'],
    plugins: { regexp },
    rules: { 'regexp/no-super-linear-backtracking': 'error' },
  },
  {
    // Nor may they move super-linearly (`/\s+$/` retries from every space of a long run: 2 MB of spaces in a
    // text file ran past the 5 s budget). The whole engine reads document bytes.
    files: ['shared/engine/**/*.ts'],
    plugins: { regexp },
    rules: { 'regexp/no-super-linear-move': 'error' },
  },
  prettier,
);
