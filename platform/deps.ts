import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import type { BankProvider } from '../providers/bank/port';
import type { Mailer } from '../providers/email/port';
import type { Transcoder } from '../providers/media/port';
import type { PaymentGateway } from '../providers/payments/port';
import type { Storage } from '../providers/storage/port';
import type { Config } from './config';
import type { Db } from './db';
import type { Logger } from './logger';

/** The adapters behind each port, chosen from configuration at the entrypoint. */
export interface Ports {
  payments: PaymentGateway;
  mailer: Mailer;
  storage: Storage;
  transcoder: Transcoder;
  bank: BankProvider;
}

/** Everything a process hands to its routes and activities. Built once, at the entrypoint. */
export interface CoreDeps {
  config: Config;
  db: Db;
  logger: Logger;
  temporal: Client;
  metrics: Registry;
  ports: Ports;
}
