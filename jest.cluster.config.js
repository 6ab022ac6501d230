/**
 * `npm run test:cluster`: the suites in test/cluster/ (files *.cluster-test.ts, so `npm test` does
 * not pick them up) against a real Temporal cluster on PostgreSQL — separate frontend, history ×2,
 * matching and worker processes — started once for the run by test/cluster/global-setup.ts.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/cluster/**/*.cluster-test.ts'],
  // `npm run cluster` itself starts a second whole cluster beside the suite's own; in CI (on the embedded
  // PostgreSQL's 100 connections) its matching service failed to start after the other suites. It runs on
  // demand: CLUSTER_CLI_TEST=1 npm run test:cluster -- npm-run-cluster
  testPathIgnorePatterns: [...base.testPathIgnorePatterns, ...(process.env.CLUSTER_CLI_TEST ? [] : ['npm-run-cluster'])],
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 300000,
};
