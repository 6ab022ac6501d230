// Workflows of the accounts capability (owned by its implementer); re-exported by workflows/index.ts.
export {};
