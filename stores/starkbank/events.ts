import type { Db } from '../../platform/db';
import { followInvoiceEvents } from './invoices';

/**
 * `starkbank_events`: every webhook event received, append-only and keyed by the bank's event id
 * (a replayed event is stored once). It is also the credit outbox: a credited invoice's event
 * carries the amount to forward (`forward_amount`) and stays unprocessed until the credit pump has
 * signalled it to the transfer batcher. `claimed_at` is the pump's lease, `processed_at` the end.
 */
export interface NewEvent {
  id: string;
  subscription: string;
  logType: string;
  invoiceId: string | null;
  /** The event as received (JSON text). */
  data: string;
  /** amount − fee of a credited invoice; null when there is nothing to forward. */
  forwardAmount: number | null;
  /** The invoice's fee as the event tells it. */
  fee: number;
}

/**
 * Stores a batch of events in one transaction, and our invoices' status follows the new ones.
 * Events without an amount to forward are processed at once; the rest wait for the pump.
 * Answers the ids that were new (an id already stored, or twice in the batch, is inserted once).
 */
export async function recordEvents(db: Db, events: NewEvent[]): Promise<Set<string>> {
  const unique = [...new Map(events.map((e) => [e.id, e])).values()];
  return db.transaction(async (trx) => {
    const rows = (await trx('starkbank_events')
      .insert(
        unique.map((e) => ({
          id: e.id,
          subscription: e.subscription,
          log_type: e.logType,
          invoice_id: e.invoiceId,
          data: e.data,
          forward_amount: e.forwardAmount,
          processed_at: e.forwardAmount === null ? trx.fn.now() : null,
        })),
      )
      .onConflict('id')
      .ignore()
      .returning('id')) as { id: string }[];
    const inserted = new Set(rows.map((r) => r.id));
    const invoiceEvents = unique.filter((e) => inserted.has(e.id) && e.invoiceId && e.subscription === 'invoice').map((e) => ({ invoiceId: e.invoiceId!, logType: e.logType, fee: e.fee }));
    await followInvoiceEvents(trx, invoiceEvents);
    return inserted;
  });
}

/** An unprocessed event claimed by the pump. */
export interface ClaimedEvent {
  eventId: string;
  invoiceId: string | null;
  forwardAmount: number | null;
}

/**
 * Claims up to `limit` unprocessed events, oldest first, for `leaseSeconds`: an event claimed
 * longer ago than that (its claimer died before signalling) is claimed again. `skip locked` lets
 * several API processes claim side by side.
 */
export async function claimUnprocessedEvents(db: Db, limit: number, leaseSeconds: number): Promise<ClaimedEvent[]> {
  const { rows } = (await db.raw(
    `update starkbank_events set claimed_at = now()
      where id in (
        select id from starkbank_events
         where processed_at is null and (claimed_at is null or claimed_at < now() - make_interval(secs => ?))
         order by received_at limit ? for update skip locked)
      returning id, invoice_id, forward_amount`,
    [leaseSeconds, limit],
  )) as { rows: { id: string; invoice_id: string | null; forward_amount: number | null }[] };
  return rows.map((r) => ({ eventId: r.id, invoiceId: r.invoice_id, forwardAmount: r.forward_amount }));
}

/** Gives claimed events back (the signal failed): the next pump takes them at once. */
export async function releaseClaims(db: Db, eventIds: string[]): Promise<void> {
  await db('starkbank_events').whereIn('id', eventIds).update({ claimed_at: null });
}

export async function markEventsProcessed(db: Db, eventIds: string[]): Promise<void> {
  await db('starkbank_events').whereIn('id', eventIds).update({ processed_at: db.fn.now() });
}

export async function countUnprocessedEvents(db: Db): Promise<number> {
  const [{ n }] = await db('starkbank_events').whereNull('processed_at').count<{ n: number }[]>('* as n');
  return Number(n);
}
