import type { Db } from '../../platform/db';

/**
 * `stripe_webhook_events`: every Stripe event that passed signature verification, once per event
 * id (Stripe delivers at least once), with how it was routed. The webhook stores the event first,
 * then routes it under the row's lock, so a redelivery either waits and sees it processed or
 * retries a routing that failed.
 */
export type StripeWebhookOutcome = 'signalled' | 'unrouted' | 'no_workflow' | 'workflow_not_found';

export interface VerifiedStripeEvent {
  id: string;
  type: string;
  livemode: boolean;
  apiVersion: string | null;
  /** The object the event is about (pi_…, ch_…, tr_…), for lookups by provider id. */
  objectId: string | null;
  /** The raw body as Stripe signed it. */
  payload: string;
  eventCreatedAt: Date;
}

/**
 * Stores a verified event, or counts one more delivery of an event already stored. Outside any
 * routing transaction: the event is kept even if its routing fails. Answers whether it was new.
 */
export async function recordStripeWebhookEvent(db: Db, event: VerifiedStripeEvent): Promise<{ firstDelivery: boolean }> {
  const inserted = await db('stripe_webhook_events')
    .insert({
      id: event.id,
      type: event.type,
      livemode: event.livemode,
      api_version: event.apiVersion,
      object_id: event.objectId,
      payload: event.payload,
      event_created_at: event.eventCreatedAt,
    })
    .onConflict('id')
    .ignore()
    .returning('id');
  if (inserted.length === 0) await db('stripe_webhook_events').where({ id: event.id }).increment('deliveries', 1);
  return { firstDelivery: inserted.length > 0 };
}

export interface StripeRouting {
  outcome: StripeWebhookOutcome;
  workflowId?: string;
  signalName?: string | null;
}

/**
 * Routes a stored event once. In one transaction: locks the event's row (concurrent deliveries of
 * one event wait here), answers the recorded outcome if it was already processed, else runs
 * `route` and marks the event processed with its outcome. If `route` throws, nothing is marked, so
 * Stripe's redelivery routes it again.
 */
export async function processStripeWebhookEventOnce(db: Db, eventId: string, route: () => Promise<StripeRouting>): Promise<{ duplicate: boolean; outcome: StripeWebhookOutcome }> {
  return db.transaction(async (trx) => {
    const row = await trx('stripe_webhook_events').where({ id: eventId }).forUpdate().first();
    if (row.processed_at) return { duplicate: true, outcome: row.outcome as StripeWebhookOutcome };
    const routed = await route();
    await trx('stripe_webhook_events')
      .where({ id: eventId })
      .update({ processed_at: trx.fn.now(), outcome: routed.outcome, workflow_id: routed.workflowId ?? null, signal_name: routed.signalName ?? null });
    return { duplicate: false, outcome: routed.outcome };
  });
}
