import type { Config } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import type { ErrorReporter } from '../../platform/sentry';
import type { Mailer } from '../email/port';
import { createAlertDispatcher } from './dispatcher';
import { AdminEmailChannel } from './email';
import type { Alert, AlertChannel, Alerts, DeliveredAlert } from './port';
import { SentryAlertChannel } from './sentry';
import { TableAlertChannel } from './table';
import { TelegramChannel } from './telegram';

export interface AlertsWiring {
  logger: Logger;
  mailer: Mailer;
  errors: ErrorReporter;
  /** Writes an occurrence count to the admin alerts table. */
  record: (alert: DeliveredAlert, newOccurrences: number) => Promise<void>;
  /** The active admin accounts' emails. */
  adminEmails: () => Promise<string[]>;
  onRaise?: (alert: Alert) => void;
}

/** Every configured channel: the admin alerts table and admin email always; Sentry with SENTRY_DSN; Telegram with a bot token and chat id. */
export function createAlerts(config: Config, wiring: AlertsWiring): Alerts {
  const listed = (config.ALERT_EMAILS ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  const recipients = async () => [...listed, ...(config.ALERT_EMAIL_ADMINS ? await wiring.adminEmails() : [])];
  const channels: AlertChannel[] = [new TableAlertChannel(wiring.record), new AdminEmailChannel(wiring.mailer, recipients, wiring.logger)];
  if (wiring.errors.enabled) channels.push(new SentryAlertChannel(wiring.errors));
  if (config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_CHAT_ID) {
    channels.push(new TelegramChannel({ token: config.TELEGRAM_BOT_TOKEN, chatId: config.TELEGRAM_CHAT_ID, apiBase: config.TELEGRAM_API_BASE, logger: wiring.logger }));
  }
  return createAlertDispatcher({ channels, logger: wiring.logger, windowMs: config.ALERT_DEDUP_WINDOW, onRaise: wiring.onRaise });
}

export type { Alert, Alerts, AlertSeverity, DeliveredAlert, ChannelResult } from './port';
