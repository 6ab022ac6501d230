import type { ErrorLevel, ErrorReporter } from '../../platform/sentry';
import type { AlertChannel, DeliveredAlert } from './port';

const LEVELS: Record<DeliveredAlert['severity'], ErrorLevel> = { critical: 'fatal', error: 'error', warning: 'warning', info: 'info' };

/** The alert as a Sentry event (message), grouped by its fault key. */
export class SentryAlertChannel implements AlertChannel {
  readonly name = 'sentry';

  constructor(private readonly reporter: ErrorReporter) {}

  async send(alert: DeliveredAlert): Promise<void> {
    this.reporter.captureMessage(alert.subject, {
      level: LEVELS[alert.severity],
      tags: { alert_kind: alert.kind, alert_key: alert.key, test: alert.test ? 'true' : undefined },
      extra: { ...alert.detail, count: alert.count, firstAt: alert.firstAt.toISOString(), lastAt: alert.lastAt.toISOString(), aggregateId: alert.aggregateId ?? null },
      fingerprint: ['alert', alert.key],
    });
    if (!(await this.reporter.flush(5_000))) throw new Error('sentry: event not delivered within 5 s');
  }
}
