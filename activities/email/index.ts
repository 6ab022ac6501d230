import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/logger';
import type { Mailer } from './port';

// PLACEHOLDER until the adapters land: replaced by the owner of activities/email/.
export function createMailer(config: Config, _db: Db, _logger: Logger): Mailer {
  void config;
  return new Proxy({} as Mailer, { get: (_t, p) => (p === 'then' ? undefined : () => Promise.reject(new Error('email adapter not wired yet'))) });
}
