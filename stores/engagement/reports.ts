import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';

/** `engagement_reports` and `moderation_actions`: what users report and what admins decided. */
export type ReportReason = 'spam' | 'abuse' | 'copyright' | 'other';
export type ReportTarget = 'content' | 'comment';
export type ModerationAction = 'dismiss' | 'remove' | 'deactivate_author';

export interface Report {
  id: string;
  targetKind: ReportTarget;
  targetId: string;
  reporterId: string;
  reason: ReportReason;
  detail: string | null;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  resolution: { action: ModerationAction; note: string; actorId: string } | null;
}

interface ReportRow {
  id: string;
  target_kind: ReportTarget;
  target_id: string;
  reporter_id: string;
  reason: ReportReason;
  detail: string | null;
  status: 'open' | 'resolved';
  created_at: Date;
  resolved_at: Date | null;
  action?: ModerationAction | null;
  note?: string | null;
  actor_id?: string | null;
}

function toReport(row: ReportRow): Report {
  return {
    id: row.id,
    targetKind: row.target_kind,
    targetId: row.target_id,
    reporterId: row.reporter_id,
    reason: row.reason,
    detail: row.detail,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at ? row.resolved_at.toISOString() : null,
    resolution: row.action ? { action: row.action, note: row.note ?? '', actorId: row.actor_id ?? '' } : null,
  };
}

const withResolution = (db: Db) =>
  db('engagement_reports as r').leftJoin('moderation_actions as m', 'm.report_id', 'r.id').select('r.*', 'm.action', 'm.note', 'm.actor_id');

export async function createReport(db: Db, input: { id: string; targetKind: ReportTarget; targetId: string; reporterId: string; reason: ReportReason; detail: string | null }): Promise<Report> {
  const [row] = await db('engagement_reports')
    .insert({ id: input.id, target_kind: input.targetKind, target_id: input.targetId, reporter_id: input.reporterId, reason: input.reason, detail: input.detail })
    .returning('*');
  return toReport(row as ReportRow);
}

export async function findReport(db: Db, id: string): Promise<Report | undefined> {
  const row = (await withResolution(db).where('r.id', id).first()) as ReportRow | undefined;
  return row ? toReport(row) : undefined;
}

export async function listReports(db: Db, status: 'open' | 'resolved' | undefined, limit: number, cursor?: string): Promise<{ items: Report[]; nextCursor: string | null }> {
  const q = withResolution(db);
  if (status) q.where('r.status', status);
  const { rows, nextCursor } = await newestFirstPage<ReportRow & { created_at: Date }>(q, { limit, cursor }, 'r.');
  return { items: rows.map(toReport), nextCursor };
}

/**
 * Records the decision and closes the report, together; false when it was resolved already (two
 * admins racing: one wins). The caller carries out the action first (it is idempotent).
 */
export async function resolveReport(db: Db, input: { reportId: string; actionId: string; action: ModerationAction; note: string; actorId: string; targetKind: ReportTarget; targetId: string }): Promise<boolean> {
  return db.transaction(async (trx) => {
    const n = await trx('engagement_reports').where({ id: input.reportId, status: 'open' }).update({ status: 'resolved', resolved_at: trx.fn.now() });
    if (n === 0) return false;
    await trx('moderation_actions').insert({ id: input.actionId, report_id: input.reportId, action: input.action, note: input.note, actor_id: input.actorId, target_kind: input.targetKind, target_id: input.targetId });
    return true;
  });
}
