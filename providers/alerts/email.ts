import type { Logger } from '../../platform/logger';
import type { Mailer } from '../email/port';
import { alertText } from './format';
import type { AlertChannel, DeliveredAlert } from './port';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Emails each admin (ALERT_EMAILS, and the active admin accounts unless ALERT_EMAIL_ADMINS=false).
 * One idempotency key per alert window and recipient, so a flush retried after a crash mails once.
 */
export class AdminEmailChannel implements AlertChannel {
  readonly name = 'email';

  constructor(private readonly mailer: Mailer, private readonly recipients: () => Promise<string[]>, private readonly logger: Logger) {}

  async send(alert: DeliveredAlert): Promise<void> {
    const to = [...new Set(await this.recipients())];
    if (!to.length) {
      this.logger.debug({ alertKey: alert.key }, 'alert email: no admin to mail');
      return;
    }
    const text = alertText(alert, 20_000);
    const subject = `[Limelight ${alert.test ? 'test alert' : alert.severity}] ${alert.subject}${alert.count > 1 ? ` (×${alert.count})` : ''}`;
    const html = `<pre style="font-family:monospace;white-space:pre-wrap">${escapeHtml(text)}</pre>`;
    const window = `${alert.firstAt.getTime()}/${alert.count}`;
    for (const recipient of to) {
      await this.mailer.send({ to: recipient, subject, text, html, kind: 'admin-alert' }, { idempotencyKey: `alert/${alert.key}/${window}/${recipient}` });
    }
  }
}
