export * from './flush';
export * from './upload-notification';
