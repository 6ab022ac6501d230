// Workflows of the shoutouts capability (owned by its implementer); re-exported by workflows/index.ts.
export {};
