import type { Knex } from 'knex';
import type { TimelineEvent } from '../../domain/shoutouts';
import type { Db } from '../../platform/db';

/**
 * `shoutout_events`: an order's timeline, append-only. The workflow numbers the events; the id
 * `<workflowId>/<seq>` makes a retried write a no-op, so the database timeline equals the live one.
 */
export async function listTimeline(db: Db, orderId: string): Promise<TimelineEvent[]> {
  const rows: { seq: number; type: string; at: Date; data: Record<string, unknown> }[] = await db('shoutout_events').where({ order_id: orderId }).orderBy('seq');
  return rows.map((r) => ({ seq: r.seq, type: r.type, at: r.at.toISOString(), ...(r.data && Object.keys(r.data).length ? { data: r.data } : {}) }));
}

/** Appends one event (once: idempotent by `<workflowId>/<seq>`), inside the caller's transaction; answers whether it was new. */
export async function appendTimelineEvent(trx: Knex.Transaction, orderId: string, workflowId: string, event: TimelineEvent): Promise<boolean> {
  const inserted = await trx('shoutout_events')
    .insert({ id: `${workflowId}/${event.seq}`, order_id: orderId, seq: event.seq, type: event.type, at: event.at, data: JSON.stringify(event.data ?? {}) })
    .onConflict('id')
    .ignore()
    .returning('id');
  return inserted.length > 0;
}
