import { createBankProvider } from '../providers/bank';
import { createMailer } from '../providers/email';
import { createEngagementBuffer } from '../providers/engagement';
import { createTranscoder } from '../providers/media';
import { createPaymentGateway } from '../providers/payments';
import { createStorage } from '../providers/storage';
import type { Config } from './config';
import type { Db } from './db';
import type { Ports } from './deps';
import type { Logger } from './logger';
import type { Registry } from 'prom-client';
import type { ErrorReporter } from './sentry';
import { createAlertsPort } from './alerts';

/** Picks each port's adapter from configuration; tests pass overrides for what they drive themselves. */
export function createPorts(config: Config, db: Db, logger: Logger, ops: { errors: ErrorReporter; metrics: Registry }, overrides: Partial<Ports> = {}): Ports {
  const mailer = overrides.mailer ?? createMailer(config, db, logger);
  return {
    payments: overrides.payments ?? createPaymentGateway(config, db, logger),
    mailer,
    storage: overrides.storage ?? createStorage(config),
    transcoder: overrides.transcoder ?? createTranscoder(config),
    bank: overrides.bank ?? createBankProvider(config, db, logger),
    alerts: overrides.alerts ?? createAlertsPort(config, db, logger, mailer, ops),
    engagement: overrides.engagement ?? createEngagementBuffer(config, db),
  };
}
