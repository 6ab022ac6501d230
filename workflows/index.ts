// Every workflow of the platform, bundled once for the worker (workers/bundle.ts).
export * from './ping';
export * from './accounts';
export * from './shoutouts';
export * from './billing';
export * from './starkbank';
export * from './splits';
export * from './channels';
export * from './contents';
export * from './engagement';
