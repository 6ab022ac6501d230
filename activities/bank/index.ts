import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/logger';
import type { BankProvider } from './port';

// PLACEHOLDER until the adapters land: replaced by the owner of activities/bank/.
export function createBankProvider(config: Config, _db: Db, _logger: Logger): BankProvider {
  void config;
  return new Proxy({} as BankProvider, { get: (_t, p) => (p === 'then' ? undefined : () => Promise.reject(new Error('bank adapter not wired yet'))) });
}
