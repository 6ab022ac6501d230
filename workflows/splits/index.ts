// Workflows of the splits capability; re-exported by workflows/index.ts.
export * from './split-payment';
