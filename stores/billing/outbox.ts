import type { Db } from '../../platform/db';

/**
 * `billing_event_outbox`: reporting events waiting to be published to Kafka. Keyed (partitioned)
 * by account, so one account's events keep their order; published in `seq` order by one relay at
 * a time (an advisory lock), marked published only after the brokers acknowledged them.
 */
export interface OutboxEvent {
  seq: number;
  id: string;
  type: string;
  partitionKey: string;
  accountId: string | null;
  subjectId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

/** Called inside the transaction that appends the event. */
export async function enqueueOutbox(trx: Db, event: { id: string; accountId?: string | null; subjectId?: string | null }): Promise<void> {
  await trx('billing_event_outbox').insert({ event_id: event.id, partition_key: event.accountId ?? event.subjectId ?? event.id }).onConflict('event_id').ignore();
}

/**
 * One relay pass: with the relay lock held (else `locked: false`: another process is publishing),
 * hands the oldest unpublished events to `publish`, then marks them published. If `publish`
 * throws, nothing is marked published and the error is noted on the batch (and answered): the
 * next pass sends them again.
 */
export async function relayOutboxBatch(db: Db, limit: number, publish: (events: OutboxEvent[]) => Promise<void>): Promise<{ locked: boolean; published: number; error?: unknown }> {
  return db.transaction(async (trx) => {
    const locked = await trx.raw('select pg_try_advisory_xact_lock(hashtext(?)) as locked', ['billing-event-outbox-relay']);
    if (!locked.rows[0].locked) return { locked: false, published: 0 };
    const rows: { seq: string; event_id: string; partition_key: string; type: string; account_id: string | null; subject_id: string | null; data: Record<string, unknown>; created_at: Date }[] = await trx('billing_event_outbox as o')
      .join('billing_events as e', 'e.id', 'o.event_id')
      .whereNull('o.published_at')
      .orderBy('o.seq')
      .limit(limit)
      .select('o.seq', 'o.event_id', 'o.partition_key', 'e.type', 'e.account_id', 'e.subject_id', 'e.data', 'e.created_at');
    if (rows.length === 0) return { locked: true, published: 0 };
    const events = rows.map((r) => ({ seq: Number(r.seq), id: r.event_id, type: r.type, partitionKey: r.partition_key, accountId: r.account_id, subjectId: r.subject_id, data: r.data, createdAt: r.created_at.toISOString() }));
    const seqs = events.map((e) => e.seq);
    try {
      await publish(events);
    } catch (error) {
      await trx('billing_event_outbox').whereIn('seq', seqs).update({ attempts: trx.raw('attempts + 1'), last_error: String((error as Error)?.message ?? error).slice(0, 1000) });
      return { locked: true, published: 0, error };
    }
    await trx('billing_event_outbox').whereIn('seq', seqs).update({ published_at: trx.fn.now(), attempts: trx.raw('attempts + 1'), last_error: null });
    return { locked: true, published: events.length };
  });
}

/** Unpublished events and the oldest one's age (readiness and metrics). */
export async function outboxBacklog(db: Db): Promise<{ count: number; oldest: Date | null }> {
  const row = await db('billing_event_outbox').whereNull('published_at').count({ n: '*' }).min({ oldest: 'created_at' }).first();
  return { count: Number(row?.n ?? 0), oldest: (row?.oldest as Date | null) ?? null };
}
