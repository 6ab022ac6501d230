// Workflows of the shoutouts capability; re-exported by workflows/index.ts.
export * from './order';
