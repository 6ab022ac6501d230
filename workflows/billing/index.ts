// Workflows of the billing capability (owned by its implementer); re-exported by workflows/index.ts.
export {};
