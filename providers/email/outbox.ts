import type { Db } from '../../platform/db';
import type { Mailer, MailMessage } from './port';
import { claimEmail } from './records';

/**
 * The embedded default when SMTP_URL is unset: "sending" keeps the message in PostgreSQL, where
 * GET /dev/mailbox shows it (outside production), so a newcomer can read a verification code
 * without any mail server. Idempotent by key like every adapter.
 */
export class OutboxMailer implements Mailer {
  constructor(private readonly db: Db) {}

  async send(message: MailMessage, options: { idempotencyKey: string }): Promise<{ messageId: string }> {
    const record = await claimEmail(this.db, 'outbox', message, options.idempotencyKey, true, 'sent');
    return { messageId: record.id };
  }
}
