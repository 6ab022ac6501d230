import { createAlerts } from '../providers/alerts';
import type { Alerts } from '../providers/alerts/port';
import type { Mailer } from '../providers/email/port';
import { activeAdminEmails } from '../stores/accounts/accounts';
import { recordAlertOccurrences } from '../stores/platform/admin-alerts';
import type { Registry } from 'prom-client';
import type { Config } from './config';
import { businessMetrics } from './metrics/business';
import type { Db } from './db';
import type { Logger } from './logger';
import type { ErrorReporter } from './sentry';

/** The alerts port wired to this process's stores: the admin alerts table and the admin accounts to mail. */
export function createAlertsPort(config: Config, db: Db, logger: Logger, mailer: Mailer, ops: { errors: ErrorReporter; metrics: Registry }): Alerts {
  const raised = businessMetrics(ops.metrics).alerts;
  return createAlerts(config, {
    logger,
    mailer,
    errors: ops.errors,
    onRaise: (alert) => raised.inc({ kind: alert.kind, severity: alert.severity ?? 'error' }),
    adminEmails: () => activeAdminEmails(db),
    record: async (alert, occurrences) => {
      await recordAlertOccurrences(db, {
        key: alert.test ? `test/${alert.firstAt.getTime()}` : alert.key,
        kind: alert.kind,
        subject: alert.subject,
        aggregateId: alert.aggregateId ?? null,
        detail: { ...alert.detail, ...(alert.count > 1 ? { count: alert.count } : {}) },
        severity: alert.severity,
        occurrences,
      });
    },
  });
}
