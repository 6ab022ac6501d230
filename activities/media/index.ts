import type { Config } from '../../platform/config';
import type { Transcoder } from './port';

// PLACEHOLDER until the adapters land: replaced by the owner of activities/media/.
export function createTranscoder(config: Config): Transcoder {
  void config;
  return new Proxy({} as Transcoder, { get: (_t, p) => (p === 'then' ? undefined : () => Promise.reject(new Error('media adapter not wired yet'))) });
}
