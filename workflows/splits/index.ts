// Workflows of the splits capability (owned by its implementer); re-exported by workflows/index.ts.
export {};
