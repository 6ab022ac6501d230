// Workflows of the starkbank capability (owned by its implementer); re-exported by workflows/index.ts.
export {};
