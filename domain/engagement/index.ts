export * from './events';
export * from './votes';
export * from './views';
export * from './hot-score';
export * from './flush';
export * from './unsubscribe';
