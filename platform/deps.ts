import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import type { Alerts } from '../providers/alerts/port';
import type { BankProvider } from '../providers/bank/port';
import type { Mailer } from '../providers/email/port';
import type { EngagementBuffer } from '../providers/engagement/port';
import type { Transcoder } from '../providers/media/port';
import type { PaymentGateway } from '../providers/payments/port';
import type { Storage } from '../providers/storage/port';
import type { Config } from './config';
import type { Db } from './db';
import type { Logger } from './logger';
import type { ErrorReporter } from './sentry';

/** The adapters behind each port, chosen from configuration at the entrypoint. */
export interface Ports {
  payments: PaymentGateway;
  mailer: Mailer;
  storage: Storage;
  transcoder: Transcoder;
  bank: BankProvider;
  /** Serious faults to the admin alerts table, admin email, Sentry and Telegram (providers/alerts). */
  alerts: Alerts;
  /** Votes, views and subscription events before the flush (providers/engagement: redis or postgres). */
  engagement: EngagementBuffer;
}

/** Everything a process hands to its routes and activities. Built once, at the entrypoint. */
export interface CoreDeps {
  config: Config;
  db: Db;
  logger: Logger;
  temporal: Client;
  metrics: Registry;
  /** Error tracking (SENTRY_DSN); a no-op without it. */
  errors: ErrorReporter;
  ports: Ports;
}
