import { z } from 'zod';
import { bool, duration, int, optionalString } from './env';

/** Variables of operations: error tracking (Sentry), alert channels (Telegram, admin email) and their limits. */
export const alertsSchema = z.object({
  SENTRY_DSN: optionalString,
  SENTRY_ENVIRONMENT: optionalString,
  SENTRY_ACTIVITY_FAILURES: int(3),
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_CHAT_ID: optionalString,
  TELEGRAM_API_BASE: z.string().default('https://api.telegram.org'),
  ALERT_EMAILS: optionalString,
  ALERT_EMAIL_ADMINS: bool(true),
  ALERT_DEDUP_WINDOW: duration('5m'),
  ALERT_REPEAT_THRESHOLD: int(3),
  ALERT_DUNNING_SPIKE: int(20),
});

export type AlertsConfig = z.infer<typeof alertsSchema>;
