// Workflows of the billing capability; re-exported by workflows/index.ts.
export * from './subscription';
export * from './purchase';
export * from './webhooks';
export * from './notices';
