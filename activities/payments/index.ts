import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/logger';
import type { PaymentGateway } from './port';

// PLACEHOLDER until the adapters land: replaced by the owner of activities/payments/.
export function createPaymentGateway(config: Config, _db: Db, _logger: Logger): PaymentGateway {
  void config;
  return new Proxy({} as PaymentGateway, { get: (_t, p) => (p === 'then' ? undefined : () => Promise.reject(new Error('payments adapter not wired yet'))) });
}
