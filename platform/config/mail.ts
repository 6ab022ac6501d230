import { z } from 'zod';
import { int, optionalString } from './env';

/** Variables of the mail capability. Without SMTP_URL mail is kept in PostgreSQL (GET /dev/mailbox). */
export const mailSchema = z.object({
  /** SMTP server for outgoing mail (smtp://user:pass@host:587 or smtps://…:465); unset, mail is kept in PostgreSQL and shown at GET /dev/mailbox. */
  SMTP_URL: optionalString,
  MAIL_FROM: z.string().default('Limelight <no-reply@limelight.local>'),
  /** Socket timeouts of the SMTP connection, so a hung server fails the activity (which retries). */
  SMTP_TIMEOUT_MS: int(20_000),
});

export type MailConfig = z.infer<typeof mailSchema>;
