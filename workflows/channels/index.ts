// Workflows of the channels capability; re-exported by workflows/index.ts.
export * from './deletion';
