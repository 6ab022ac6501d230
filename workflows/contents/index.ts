export * from './publishing';
