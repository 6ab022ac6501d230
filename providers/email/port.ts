/**
 * The mail port. Adapters: `smtp.ts` (nodemailer, `SMTP_URL`) and `outbox.ts` (kept in
 * PostgreSQL and shown at GET /dev/mailbox, the default when SMTP_URL is unset).
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The template it came from (verification-code, shoutout-delivered, …), for the record. */
  kind: string;
}

export interface Mailer {
  /** Sends once per idempotency key: a retried activity with the same key does not send again. */
  send(message: MailMessage, options: { idempotencyKey: string }): Promise<{ messageId: string }>;
}

/** The SMTP server refused the message for good (5xx): retrying cannot help. */
export class PermanentMailError extends Error {
  constructor(message: string, readonly responseCode?: number) {
    super(message);
    this.name = 'PermanentMailError';
  }
}
