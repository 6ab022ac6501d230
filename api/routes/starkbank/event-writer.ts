import type { Db } from '../../../platform/db';

export interface StoredEvent {
  id: string;
  subscription: string;
  logType: string;
  invoiceId: string | null;
  data: string;
  /** amount − fee of a credited invoice; null when there is nothing to forward. */
  forwardAmount: number | null;
  /** The invoice's fee as the event tells it. */
  fee: number;
}

interface Waiting {
  event: StoredEvent;
  resolve: (inserted: boolean) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 250;
const MAX_IN_FLIGHT = 4;

/**
 * Group commit for webhook events: each request waits until its event is durably stored (so a 200
 * still means "stored"), but events arriving while a commit is in flight are written together in
 * the next one — one transaction (one WAL flush) for many events instead of one each. Answers, per
 * event, whether it was new (false: the event id was already stored, a replay).
 */
export class EventWriter {
  private queue: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly db: Db) {}

  write(event: StoredEvent): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= MAX_IN_FLIGHT) return;
    this.inFlight++;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const inserted = await this.commit(batch.map((w) => w.event));
          const answered = new Set<string>();
          for (const w of batch) {
            // The same id twice in one batch: the first is new, the second a replay.
            const fresh = inserted.has(w.event.id) && !answered.has(w.event.id);
            answered.add(w.event.id);
            w.resolve(fresh);
          }
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.inFlight--;
    }
  }

  private async commit(events: StoredEvent[]): Promise<Set<string>> {
    const unique = [...new Map(events.map((e) => [e.id, e])).values()];
    return this.db.transaction(async (trx) => {
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
      // Our invoices' status follows their events (a credited one never goes back to paid).
      const byInvoice = new Map<string, StoredEvent>();
      for (const e of unique) {
        if (!inserted.has(e.id) || !e.invoiceId || e.subscription !== 'invoice') continue;
        const seen = byInvoice.get(e.invoiceId);
        if (!seen || e.logType === 'credited') byInvoice.set(e.invoiceId, e);
      }
      if (byInvoice.size) {
        const values = [...byInvoice.values()];
        await trx.raw(
          `update starkbank_invoices i
              set status = case when i.status = 'credited' and v.log_type in ('created', 'registered', 'paid') then i.status
                                when v.log_type = 'credited' then 'credited' else v.log_type end,
                  fee = v.fee, updated_at = now(),
                  credited_at = case when v.log_type = 'credited' then coalesce(i.credited_at, now()) else i.credited_at end
             from (values ${values.map(() => '(?, ?, ?::bigint)').join(', ')}) as v(id, log_type, fee)
            where i.id = v.id`,
          values.flatMap((e) => [e.invoiceId, e.logType, e.fee]),
        );
      }
      return inserted;
    });
  }
}
