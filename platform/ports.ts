import { createBankProvider } from '../providers/bank';
import { createMailer } from '../providers/email';
import { createTranscoder } from '../providers/media';
import { createPaymentGateway } from '../providers/payments';
import { createStorage } from '../providers/storage';
import type { Config } from './config';
import type { Db } from './db';
import type { Ports } from './deps';
import type { Logger } from './logger';

/** Picks each port's adapter from configuration; tests pass overrides for what they drive themselves. */
export function createPorts(config: Config, db: Db, logger: Logger, overrides: Partial<Ports> = {}): Ports {
  return {
    payments: overrides.payments ?? createPaymentGateway(config, db, logger),
    mailer: overrides.mailer ?? createMailer(config, db, logger),
    storage: overrides.storage ?? createStorage(config),
    transcoder: overrides.transcoder ?? createTranscoder(config),
    bank: overrides.bank ?? createBankProvider(config, db, logger),
  };
}
