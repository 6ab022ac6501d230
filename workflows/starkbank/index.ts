// Workflows of the starkbank capability; re-exported by workflows/index.ts.
export * from './invoice-issuance';
export * from './transfer-batcher';
