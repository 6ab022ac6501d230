import type { Knex } from 'knex';
import { applySplitEvent, type SplitEventRecord, type SplitEventType, type SplitState } from '../../domain/splits/fold';
import type { Db } from '../../platform/db';

/**
 * The split payments' event store: `split_events`, the append-only log (a trigger refuses updates
 * and deletes) that is the source of truth, and `split_payments`, its projection. `appendSplitEvent`
 * is the only writer of both: in one database transaction it locks the aggregate's projection row,
 * skips an event id already appended (a retried activity), gives the event the next sequence number,
 * and folds it into the projection. So the projection is always `fold(events)`.
 */
export interface NewSplitEvent {
  /** Deterministic per step (`split-<id>/charge`): the same step never appends twice. */
  id: string;
  aggregateId: string;
  type: SplitEventType;
  data: Record<string, unknown>;
  /** The workflow id. */
  correlationId: string;
  /** The event that led to this one. */
  causationId?: string | null;
}

export interface AppendResult {
  event: SplitEventRecord;
  state: SplitState;
  /** False when the event id was already in the log (a replayed step). */
  appended: boolean;
}

interface EventRow {
  id: string;
  aggregate_id: string;
  sequence: number;
  type: SplitEventType;
  data: Record<string, unknown>;
  correlation_id: string;
  causation_id: string | null;
  created_at: Date;
}

export function toEventRecord(row: EventRow): SplitEventRecord {
  return {
    id: row.id,
    aggregateId: row.aggregate_id,
    sequence: Number(row.sequence),
    type: row.type,
    data: row.data,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    createdAt: row.created_at.toISOString(),
  };
}

export async function appendSplitEvent(db: Db, event: NewSplitEvent, check?: (state: SplitState | undefined) => void): Promise<AppendResult> {
  return db.transaction((trx) => appendInTransaction(trx, event, check));
}

/**
 * The projection of one split, locked until the transaction ends: whoever appends next waits, so
 * a check made on it (refunds, ./refunds.ts) still holds when the event is appended.
 */
export async function lockSplitState(trx: Knex.Transaction, id: string): Promise<SplitState | undefined> {
  const projection = await trx('split_payments').where({ id }).forUpdate().first('state');
  return projection?.state as SplitState | undefined;
}

/** As appendSplitEvent, inside the caller's transaction; `check` may refuse by throwing (after the lock). */
export async function appendInTransaction(trx: Knex.Transaction, event: NewSplitEvent, check?: (state: SplitState | undefined) => void): Promise<AppendResult> {
  const current = await lockSplitState(trx, event.aggregateId);
  const existing = (await trx<EventRow>('split_events').where({ id: event.id }).first()) as EventRow | undefined;
  if (existing) {
    if (!current) throw new Error(`split ${event.aggregateId} has events but no projection`);
    return { event: toEventRecord(existing), state: current, appended: false };
  }
  check?.(current);
  const sequence = (current?.version ?? 0) + 1;
  const [{ now }] = (await trx.raw('select clock_timestamp() as now')).rows as { now: Date }[];
  const record: SplitEventRecord = {
    id: event.id,
    aggregateId: event.aggregateId,
    sequence,
    type: event.type,
    data: event.data,
    correlationId: event.correlationId,
    causationId: event.causationId ?? null,
    createdAt: now.toISOString(),
  };
  const state = applySplitEvent(current, record);
  if (!current) {
    await trx('split_payments').insert({
      id: state.id,
      workflow_id: state.workflowId,
      created_by: state.createdBy,
      status: state.status,
      total_amount: state.total.amount,
      currency: state.total.currency,
      version: state.version,
      state: JSON.stringify(state),
      created_at: now,
      updated_at: now,
    });
  } else {
    await trx('split_payments').where({ id: state.id }).update({ status: state.status, version: state.version, state: JSON.stringify(state), updated_at: now });
  }
  await trx('split_events').insert({
    id: record.id,
    aggregate_id: record.aggregateId,
    sequence: record.sequence,
    type: record.type,
    data: JSON.stringify(record.data),
    correlation_id: record.correlationId,
    causation_id: record.causationId,
    created_at: now,
  });
  return { event: record, state, appended: true };
}

export interface AppendManyResult {
  /** Each event as stored, in the order given (an id already in the log comes back as it was). */
  events: SplitEventRecord[];
  state: SplitState;
  /** Per event, false when its id was already in the log (a replayed step). */
  appended: boolean[];
}

/**
 * Several events of one split in one transaction, in the order given: one lock, one read of the ids
 * already in the log, one update of the projection and ONE insert of the new events (a saga step that
 * records two facts — the ledger posted and the split succeeded — pays for one write, not two).
 * Ids already in the log are skipped, so a retried step appends nothing twice.
 */
export async function appendSplitEvents(db: Db, events: NewSplitEvent[]): Promise<AppendManyResult> {
  if (events.length === 0) throw new Error('appendSplitEvents: no events');
  const aggregateId = events[0].aggregateId;
  if (events.some((e) => e.aggregateId !== aggregateId)) throw new Error('appendSplitEvents: events of one split at a time');
  return db.transaction(async (trx) => {
    const current = await lockSplitState(trx, aggregateId);
    if (!current) throw new Error(`split ${aggregateId} has no projection`);
    const existing = (await trx<EventRow>('split_events').whereIn('id', events.map((e) => e.id))) as EventRow[];
    const stored = new Map(existing.map((row) => [row.id, toEventRecord(row)]));
    const [{ now }] = (await trx.raw('select clock_timestamp() as now')).rows as { now: Date }[];
    let state = current;
    const fresh: SplitEventRecord[] = [];
    const records = events.map((e) => {
      const already = stored.get(e.id);
      if (already) return already;
      const record: SplitEventRecord = { id: e.id, aggregateId, sequence: state.version + 1, type: e.type, data: e.data, correlationId: e.correlationId, causationId: e.causationId ?? null, createdAt: now.toISOString() };
      state = applySplitEvent(state, record);
      fresh.push(record);
      return record;
    });
    if (fresh.length) {
      await trx('split_payments').where({ id: aggregateId }).update({ status: state.status, version: state.version, state: JSON.stringify(state), updated_at: now });
      await trx('split_events').insert(
        fresh.map((r) => ({ id: r.id, aggregate_id: r.aggregateId, sequence: r.sequence, type: r.type, data: JSON.stringify(r.data), correlation_id: r.correlationId, causation_id: r.causationId, created_at: now })),
      );
    }
    return { events: records, state, appended: events.map((e) => !stored.has(e.id)) };
  });
}

/** One split's events after sequence `after`, in sequence order (the API pages on the sequence). */
export async function listSplitEvents(db: Db, aggregateId: string, after = 0, limit = 1000): Promise<SplitEventRecord[]> {
  const rows = (await db<EventRow>('split_events').where({ aggregate_id: aggregateId }).andWhere('sequence', '>', after).orderBy('sequence').limit(limit)) as EventRow[];
  return rows.map(toEventRecord);
}
