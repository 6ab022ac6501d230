import type { Config } from '../../platform/config';
import type { Storage } from './port';

// PLACEHOLDER until the adapters land: replaced by the owner of activities/storage/.
export function createStorage(config: Config): Storage {
  void config;
  return new Proxy({} as Storage, { get: (_t, p) => (p === 'then' ? undefined : () => Promise.reject(new Error('storage adapter not wired yet'))) });
}
