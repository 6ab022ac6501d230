import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/logger';
import { PermanentMailError, type Mailer, type MailMessage } from './port';
import { claimEmail, markEmailAttempt, markEmailFailed, markEmailSent } from './records';

export interface SmtpMailerOptions {
  url: string;
  from: string;
  timeoutMs?: number;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/**
 * Sends through an SMTP server with nodemailer. Each idempotency key is recorded in
 * `email_messages` before the send and marked sent after it, so a retried activity whose first
 * attempt got through returns the recorded result instead of mailing twice. (A crash between the
 * server's 250 and our update can still resend once; the Message-ID is derived from the record,
 * so that duplicate carries the same Message-ID and mail clients thread or drop it.)
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(private readonly db: Db, private readonly logger: Logger, private readonly options: SmtpMailerOptions) {
    const timeout = options.timeoutMs ?? 20_000;
    // Bound every phase: a hung server must fail the attempt (and let Temporal retry), not hang it.
    this.transport = nodemailer.createTransport({ url: options.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout }, { from: options.from });
  }

  async send(message: MailMessage, options: { idempotencyKey: string }): Promise<{ messageId: string }> {
    const record = await claimEmail(this.db, 'smtp', message, options.idempotencyKey, false);
    if (record.status === 'sent') return { messageId: record.provider_message_id ?? record.id };
    await markEmailAttempt(this.db, record.id);

    const domain = /@([^>\s]+)>?\s*$/.exec(this.options.from)?.[1] ?? 'limelight.local';
    try {
      const info = await this.transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${record.id}@${domain}>`,
        headers: { 'X-Limelight-Kind': message.kind },
      });
      const messageId = String(info.messageId ?? record.id);
      await markEmailSent(this.db, record.id, messageId);
      return { messageId };
    } catch (thrown) {
      const error = thrown as SmtpError;
      const code = typeof error.responseCode === 'number' ? error.responseCode : undefined;
      // 5xx to the envelope or the message is final; a 535 (bad credentials) is an operator fix,
      // so it stays retryable along with timeouts, 4xx and connection failures.
      const permanent = code !== undefined && code >= 500 && code < 600 && error.code !== 'EAUTH';
      await markEmailFailed(this.db, record.id, { error: error.response ?? error.message, responseCode: code ?? null, permanent });
      if (permanent) {
        this.logger.warn({ to: message.to, kind: message.kind, responseCode: code, idempotencyKey: options.idempotencyKey }, 'mail permanently rejected');
        throw new PermanentMailError(`SMTP server rejected the message: ${error.response ?? error.message}`, code);
      }
      throw error;
    }
  }

  close(): void {
    this.transport.close();
  }
}
