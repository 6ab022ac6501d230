import type { Config } from '../../platform/config';
import type { MediaConfig } from '../../platform/config/media';
import { createLocalStorage } from './local';
import type { Storage } from './port';

export { InvalidStorageKeyError, LocalStorage, assertValidKey, createLocalStorage } from './local';
export type { Storage, StoredObject } from './port';

/** The Storage adapter: a local folder (`STORAGE_DIR`); an S3-compatible adapter can be chosen here later. */
export function createStorage(config: Config): Storage {
  const media = config as Config & MediaConfig;
  return createLocalStorage({ dir: media.STORAGE_DIR });
}
