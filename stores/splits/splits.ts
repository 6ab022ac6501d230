import type { Knex } from 'knex';
import { allocateRefund } from '../../domain/splits/allocation';
import { applySplitEvent, type SplitEventRecord, type SplitEventType, type SplitState } from '../../domain/splits/fold';
import type { Db } from '../../platform/db';

/**
 * The split payments' event store. `appendSplitEvent` is the only writer: in one database
 * transaction it locks the aggregate's projection row, skips an event id already appended (a
 * retried activity), gives the event the next sequence number, and folds it into the projection.
 * So the projection is always `fold(events)`, and the log is the source of truth.
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

/** As appendSplitEvent, inside the caller's transaction; `check` may refuse by throwing (after the lock). */
export async function appendInTransaction(trx: Knex.Transaction, event: NewSplitEvent, check?: (state: SplitState | undefined) => void): Promise<AppendResult> {
  const projection = await trx('split_payments').where({ id: event.aggregateId }).forUpdate().first('state');
  const current = projection?.state as SplitState | undefined;
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

export async function getSplitState(db: Db, id: string): Promise<SplitState | undefined> {
  const row = await db('split_payments').where({ id }).first('state');
  return row?.state as SplitState | undefined;
}

export async function listSplitEvents(db: Db, aggregateId: string, after = 0, limit = 1000): Promise<SplitEventRecord[]> {
  const rows = (await db<EventRow>('split_events').where({ aggregate_id: aggregateId }).andWhere('sequence', '>', after).orderBy('sequence').limit(limit)) as EventRow[];
  return rows.map(toEventRecord);
}

export interface PayoutAccount {
  id: string;
  accountId: string;
  provider: 'stripe' | 'sandbox';
  providerAccountId: string;
  createdAt: string;
}

interface PayoutRow {
  id: string;
  account_id: string;
  provider: 'stripe' | 'sandbox';
  provider_account_id: string;
  created_at: Date;
}

export function toPayoutAccount(row: PayoutRow): PayoutAccount {
  return { id: row.id, accountId: row.account_id, provider: row.provider, providerAccountId: row.provider_account_id, createdAt: row.created_at.toISOString() };
}

/** Payout accounts with their owner's email and name (for notifications). */
export async function getPayoutAccounts(db: Db, ids: string[]): Promise<(PayoutAccount & { email: string; name: string })[]> {
  const rows = await db('payout_accounts as p').join('accounts as a', 'a.id', 'p.account_id').whereIn('p.id', ids).select('p.*', 'a.email', 'a.name');
  return rows.map((r: PayoutRow & { email: string; name: string }) => ({ ...toPayoutAccount(r), email: r.email, name: r.name }));
}

/** Remaining (not yet refunded) money of each party of a split. */
export function heldByParty(state: SplitState): { party: string; amount: { amount: number; currency: string } }[] {
  const currency = state.total.currency;
  const recipientsRefunded = state.recipients.reduce((a, r) => a + r.refunded, 0);
  return state.allocation.map((line) => {
    const r = state.recipients.find((x) => x.payoutAccountId === line.party);
    const taken = r ? r.refunded : state.refundedAmount - recipientsRefunded;
    return { party: line.party, amount: { amount: line.amount.amount - taken, currency } };
  });
}

export class RefundRefused extends Error {
  constructor(readonly reason: 'not_found' | 'state' | 'amount', message: string) {
    super(message);
  }
}

/**
 * Reserves a refund: under the aggregate's lock, checks the split can be refunded by `amount`
 * (default: all that is left), splits it pro rata among what each party still holds, and appends
 * `split.refund_requested`. Two concurrent refunds can never take back more than was paid.
 */
export async function reserveRefund(db: Db, input: { splitId: string; refundId: string; workflowId: string; amount?: number; requestedBy: string }): Promise<AppendResult> {
  return db.transaction(async (trx) => {
    const row = await trx('split_payments').where({ id: input.splitId }).forUpdate().first('state');
    const state = row?.state as SplitState | undefined;
    if (!state) throw new RefundRefused('not_found', `split payment ${input.splitId}`);
    if (state.status !== 'succeeded' && state.status !== 'partially_refunded') throw new RefundRefused('state', `The split payment is ${state.status}; only a succeeded split payment can be refunded.`);
    const held = heldByParty(state);
    const refundable = held.reduce((a, l) => a + l.amount.amount, 0);
    const amount = input.amount ?? refundable;
    if (amount <= 0 || amount > refundable) throw new RefundRefused('amount', `must be between 1 and ${refundable} (what is left to refund)`);
    const allocation = allocateRefund(amount, held);
    return appendInTransaction(trx, {
      id: `${input.workflowId}/requested`,
      aggregateId: input.splitId,
      type: 'split.refund_requested',
      data: { refundId: input.refundId, amount: { amount, currency: state.total.currency }, allocation, requestedBy: input.requestedBy },
      correlationId: input.workflowId,
      causationId: null,
    });
  });
}
