/**
 * End-to-end tests, kept out of `npm test` (which must stay under a minute and needs no Python): the commands run as
 * whole processes (synth, report), the organization of 5,000 accounts, and the built detector bundle against the AWS
 * emulator (moto's server, installed into .venv-emulator/ by .ci/run). Run with `npm run test:integration`.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.integration.ts'],
  transform: {
    '^.+\\.ts$': '<rootDir>/tools/jest/esbuild-transform.js',
  },
  testTimeout: 180000,
  // Every temporary directory of the run lives under one scratch directory, removed at the end.
  globalSetup: '<rootDir>/tools/jest/scratch-setup.js',
  globalTeardown: '<rootDir>/tools/jest/scratch-teardown.js',
  maxWorkers: 2,
};
