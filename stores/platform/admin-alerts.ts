import type { Db } from '../../platform/db';

/**
 * `admin_alerts`: what a person must look at because the platform could not finish on its own (a
 * provider refused a compensation, …). Any capability raises them here. An alert's id comes from
 * the key of the step that raised it, so a retried step raises it once.
 */
export interface NewAdminAlert {
  /** The step's key (`split-<id>/reverse/<payoutAccountId>`); the alert id is derived from it. */
  key: string;
  /** What happened, e.g. `split.compensation_refused`. */
  kind: string;
  subject: string;
  /** The business record it is about (a split id, …). */
  aggregateId?: string | null;
  detail: Record<string, unknown>;
}

/** The id of the alert raised for `key`: `alert_` and the key with anything but [A-Za-z0-9_-] as `_`. */
export function adminAlertId(key: string): string {
  return `alert_${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Records the alert once per key; answers its id (also when it was already raised). */
export async function raiseAdminAlert(db: Db, alert: NewAdminAlert): Promise<string> {
  const id = adminAlertId(alert.key);
  await db('admin_alerts').insert({ id, kind: alert.kind, subject: alert.subject, aggregate_id: alert.aggregateId ?? null, detail: JSON.stringify(alert.detail) }).onConflict('id').ignore();
  return id;
}
