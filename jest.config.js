/**
 * Jest runs the TypeScript sources directly (ESM through ts-jest, no type check: `npm run typecheck` does that).
 * ts-jest transpiles file by file because tsconfig.json sets `isolatedModules`.
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testTimeout: 60000,
  // Test files run in a worker process, never in jest's own: a native crash (V8 once aborted while freeing a
  // worker thread's WebAssembly code) costs that worker, which jest replaces and retries, not the whole run; a
  // worker that grew past this is replaced between files.
  workerIdleMemoryLimit: '1536MB',
};
