import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';

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
  return (await raiseAdminAlertOnce(db, alert)).id;
}

/** Records the alert once per key; `raised` is true only for the call that wrote it (so it is notified once). */
export async function raiseAdminAlertOnce(db: Db, alert: NewAdminAlert): Promise<{ id: string; raised: boolean }> {
  const id = adminAlertId(alert.key);
  const inserted = await db('admin_alerts')
    .insert({ id, kind: alert.kind, subject: alert.subject, aggregate_id: alert.aggregateId ?? null, detail: JSON.stringify(alert.detail) })
    .onConflict('id')
    .ignore()
    .returning('id');
  return { id, raised: inserted.length > 0 };
}

/**
 * An operations alert (a fault key seen `occurrences` more times): one row per key, its count
 * growing and last_seen_at moving, reopened if it had been resolved.
 */
export async function recordAlertOccurrences(db: Db, alert: NewAdminAlert & { severity: string; occurrences: number }): Promise<string> {
  const id = adminAlertId(alert.key);
  await db('admin_alerts')
    .insert({ id, kind: alert.kind, subject: alert.subject, aggregate_id: alert.aggregateId ?? null, detail: JSON.stringify(alert.detail), severity: alert.severity, occurrences: alert.occurrences })
    .onConflict('id')
    .merge({
      subject: alert.subject,
      detail: JSON.stringify(alert.detail),
      severity: alert.severity,
      occurrences: db.raw('admin_alerts.occurrences + excluded.occurrences'),
      last_seen_at: db.fn.now(),
      resolved_at: null,
    });
  return id;
}

export interface AdminAlertView {
  id: string;
  kind: string;
  severity: string;
  subject: string;
  aggregateId: string | null;
  detail: Record<string, unknown>;
  occurrences: number;
  createdAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

interface AdminAlertRow {
  id: string;
  kind: string;
  severity: string;
  subject: string;
  aggregate_id: string | null;
  detail: Record<string, unknown>;
  occurrences: number;
  created_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
}

const view = (r: AdminAlertRow): AdminAlertView => ({
  id: r.id,
  kind: r.kind,
  severity: r.severity,
  subject: r.subject,
  aggregateId: r.aggregate_id,
  detail: r.detail ?? {},
  occurrences: Number(r.occurrences),
  createdAt: r.created_at.toISOString(),
  lastSeenAt: r.last_seen_at.toISOString(),
  resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null,
});

/** A page of alerts, newest first; `kind` narrows it, `open` keeps the unresolved ones. */
export async function listAdminAlerts(db: Db, filter: { kind?: string; open?: boolean }, page: { limit: number; cursor?: string }): Promise<{ items: AdminAlertView[]; nextCursor: string | null }> {
  const query = db('admin_alerts');
  if (filter.kind) query.where({ kind: filter.kind });
  if (filter.open) query.whereNull('resolved_at');
  const { rows, nextCursor } = await newestFirstPage<AdminAlertRow>(query, page);
  return { items: rows.map(view), nextCursor };
}
