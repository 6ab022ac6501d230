/** Unit tests sit beside the code; end-to-end tests in test/ share one Temporal dev server and one database per run. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/', '/.tools/'],
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/harness/money-hook.ts'],
  // One worker: the dev server, the workers and the API of every suite share 2 cores.
  maxWorkers: 1,
  testTimeout: 60000,
  forceExit: false,
};
