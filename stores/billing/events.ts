import type { Db } from '../../platform/db';
import { enqueueOutbox } from './outbox';
import { subscriptionRowColumns, type SubscriptionRowPatch } from './subscriptions';

/**
 * The reporting event log (append-only: a trigger forbids updates and deletes). Event ids are
 * deterministic per workflow step, so appending the same event twice is a no-op.
 */

/** Reporting event types: every purchase, renewal, renewal failure, cancellation, role change and refund. */
export const BILLING_EVENT_TYPES = [
  'purchase.completed',
  'purchase.failed',
  'purchase.expired',
  'subscription.trial_started',
  'subscription.started',
  'subscription.renewed',
  'subscription.renewal_failed',
  'subscription.cancel_scheduled',
  'subscription.resumed',
  'subscription.plan_changed',
  'subscription.cancelled',
  'role.granted',
  'role.revoked',
  'payment.refunded',
  'product.price_changed',
] as const;
export type BillingEventType = (typeof BILLING_EVENT_TYPES)[number];

export interface BillingEvent {
  /** Deterministic per step (`<workflowId>/period-3/renewed`): appending twice is a no-op. */
  id: string;
  type: BillingEventType;
  accountId?: string | null;
  subjectId?: string | null;
  data?: Record<string, unknown>;
}

export interface BillingEventRow {
  id: string;
  type: BillingEventType;
  account_id: string | null;
  subject_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

/**
 * Appends the event unless its id is there; answers whether it was new (what metrics count by).
 * With `outbox` (Kafka configured) its outbox row is written in the same transaction
 * (stores/billing/outbox.ts), so an event is never stored without being published.
 */
export async function appendBillingEvent(db: Db, event: BillingEvent, options: { outbox?: boolean } = {}): Promise<boolean> {
  const append = async (trx: Db) => {
    const inserted = await trx('billing_events')
      .insert({ id: event.id, type: event.type, account_id: event.accountId ?? null, subject_id: event.subjectId ?? null, data: JSON.stringify(event.data ?? {}) })
      .onConflict('id')
      .ignore()
      .returning('id');
    if (inserted.length > 0 && options.outbox) await enqueueOutbox(trx, event);
    return inserted.length > 0;
  };
  return options.outbox ? db.transaction(append) : append(db);
}

/**
 * A subscription's listing row change and the event it reports, in ONE statement (renewals run it
 * thousands of times: one round trip instead of three): updates the row, appends the event unless
 * its id is there (with its outbox row when `outbox`), and answers whether it was new and the
 * active webhook endpoints subscribed to its type (what the caller fans it out to).
 */
export async function recordSubscriptionChange(db: Db, subscriptionId: string, patch: SubscriptionRowPatch, event: BillingEvent, options: { outbox?: boolean } = {}): Promise<{ inserted: boolean; endpointIds: string[] }> {
  const columns = Object.entries(subscriptionRowColumns(patch));
  const outbox = options.outbox
    ? `, ob as (
       insert into billing_event_outbox (event_id, partition_key) select id, ? from ev
       on conflict (event_id) do nothing
     )`
    : '';
  const result = await db.raw<{ rows: { inserted: boolean; endpoint_ids: string[] }[] }>(
    `with upd as (
       update subscriptions set ${columns.map(() => '?? = ?, ').join('')}updated_at = now() where id = ?
     ), ev as (
       insert into billing_events (id, type, account_id, subject_id, data) values (?, ?, ?, ?, ?)
       on conflict (id) do nothing
       returning id
     )${outbox}
     select exists (select 1 from ev) as inserted,
       array(select id from webhook_endpoints where active and (? = any(events) or '*' = any(events)) order by id) as endpoint_ids`,
    [
      ...columns.flat(),
      subscriptionId,
      event.id, event.type, event.accountId ?? null, event.subjectId ?? null, JSON.stringify(event.data ?? {}),
      ...(options.outbox ? [event.accountId ?? event.subjectId ?? event.id] : []),
      event.type,
    ],
  );
  const [row] = result.rows;
  return { inserted: row.inserted, endpointIds: row.endpoint_ids };
}

export async function findBillingEvent(db: Db, id: string): Promise<BillingEventRow | undefined> {
  return db<BillingEventRow>('billing_events').where({ id }).first();
}
