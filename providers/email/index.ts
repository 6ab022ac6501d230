import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/logger';
import { OutboxMailer } from './outbox';
import type { Mailer } from './port';
import { SmtpMailer } from './smtp';

/** SMTP when SMTP_URL is set; otherwise the PostgreSQL outbox read at GET /dev/mailbox. */
export function createMailer(config: Config, db: Db, logger: Logger): Mailer {
  if (config.SMTP_URL) return new SmtpMailer(db, logger, { url: config.SMTP_URL, from: config.MAIL_FROM, timeoutMs: config.SMTP_TIMEOUT_MS });
  return new OutboxMailer(db);
}
