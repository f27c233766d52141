/** Tests run TypeScript transpiled file by file with esbuild (no type-checking here: `npm test` runs tsc first). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': '<rootDir>/tools/jest/esbuild-transform.js',
  },
  testTimeout: 30000,
  // Every temporary directory of the run lives under one scratch directory, removed at the end.
  globalSetup: '<rootDir>/tools/jest/scratch-setup.js',
  globalTeardown: '<rootDir>/tools/jest/scratch-teardown.js',
  // Jest's default leaves one core idle; the suite is CPU-bound and these machines have two.
  maxWorkers: 2,
};
