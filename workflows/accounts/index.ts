// Workflows of the accounts capability; re-exported by workflows/index.ts.
export * from './signup';
export * from './purge';
