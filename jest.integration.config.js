/**
 * Integration tests: the built detector bundle against the AWS emulator (moto's server, installed into .venv-emulator/
 * by .ci/run). Kept out of `npm test` (which must stay fast and needs no Python); run with `npm run test:integration`.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.integration.ts'],
  transform: {
    '^.+\\.ts$': '<rootDir>/tools/jest/esbuild-transform.js',
  },
  testTimeout: 180000,
};
