import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';

/**
 * One delivery per (endpoint, event), with every attempt recorded. Delivery ids come from the
 * endpoint and event ids, so fanning an event out again never duplicates a delivery.
 */
export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

export interface WebhookDeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface WebhookAttemptRow {
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: Date;
}

/** Creates the delivery unless it exists. */
export async function ensureDelivery(db: Db, delivery: { id: string; endpointId: string; eventId: string }): Promise<void> {
  await db('webhook_deliveries').insert({ id: delivery.id, endpoint_id: delivery.endpointId, event_id: delivery.eventId }).onConflict('id').ignore();
}

export async function findDelivery(db: Db, id: string): Promise<WebhookDeliveryRow | undefined> {
  return db<WebhookDeliveryRow>('webhook_deliveries').where({ id }).first();
}

/** Gives a delivery up for good without another attempt (its endpoint was removed). */
export async function abandonDelivery(db: Db, id: string, reason: string): Promise<void> {
  await db('webhook_deliveries').where({ id }).update({ status: 'failed', last_error: reason, next_attempt_at: null, updated_at: db.fn.now() });
}

/** Records one attempt (once per attempt number) and its outcome on the delivery, in one transaction. */
export async function recordDeliveryAttempt(db: Db, attempt: { deliveryId: string; attempt: number; statusCode: number | null; error: string | null; durationMs: number }): Promise<void> {
  const ok = attempt.error === null;
  await db.transaction(async (trx) => {
    await trx('webhook_delivery_attempts').insert({ delivery_id: attempt.deliveryId, attempt: attempt.attempt, status_code: attempt.statusCode, error: attempt.error, duration_ms: attempt.durationMs }).onConflict(['delivery_id', 'attempt']).ignore();
    await trx('webhook_deliveries')
      .where({ id: attempt.deliveryId })
      .update({ attempts: trx.raw('greatest(attempts, ?)', [attempt.attempt]), last_status_code: attempt.statusCode, last_error: attempt.error, status: ok ? 'delivered' : 'retrying', delivered_at: ok ? trx.fn.now() : null, updated_at: trx.fn.now() });
  });
}

/** When the next attempt is due, or (null) that the delivery gave up. */
export async function scheduleDeliveryRetry(db: Db, id: string, nextAttemptAt: number | null): Promise<void> {
  await db('webhook_deliveries')
    .where({ id })
    .update(nextAttemptAt === null ? { status: 'failed', next_attempt_at: null, updated_at: db.fn.now() } : { next_attempt_at: new Date(nextAttemptAt), updated_at: db.fn.now() });
}

/** Deliveries to one endpoint, newest first, each with its event's type and its attempts in order. */
export async function listDeliveries(db: Db, endpointId: string, page: { limit: number; cursor?: string }) {
  const query = db('webhook_deliveries as d').join('billing_events as e', 'e.id', 'd.event_id').select('d.*', 'e.type as event_type').where('d.endpoint_id', endpointId);
  const { rows, nextCursor } = await newestFirstPage<WebhookDeliveryRow & { event_type: string }>(query, page, 'd.');
  const attempts: WebhookAttemptRow[] = rows.length
    ? await db('webhook_delivery_attempts')
        .whereIn('delivery_id', rows.map((r) => r.id))
        .orderBy(['delivery_id', 'attempt'])
    : [];
  return { rows: rows.map((r) => ({ ...r, attempts: attempts.filter((a) => a.delivery_id === r.id) })), nextCursor };
}
