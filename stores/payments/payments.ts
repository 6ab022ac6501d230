import type { Money } from '../../domain/money';
import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';

/**
 * The payments table and its append-only event log. Every write is keyed by ids the workflow
 * supplies, so a retried activity never writes twice.
 */
export type PaymentRecordStatus = 'pending' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'voided' | 'failed';

export interface PaymentRecord {
  id: string;
  accountId: string | null;
  kind: string;
  reference: string;
  provider: string;
  providerPaymentId: string | null;
  status: PaymentRecordStatus;
  amount: Money;
  amountCaptured: number;
  amountRefunded: number;
  failureCode: string | null;
  failureMessage: string | null;
  workflowId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PaymentEvent {
  /** Deterministic per step, e.g. `<workflowId>/capture`: the same step never appends twice. */
  id: string;
  paymentId: string;
  type: string;
  data?: Record<string, unknown>;
  correlationId?: string;
}

interface PaymentRow {
  id: string;
  account_id: string | null;
  kind: string;
  reference: string;
  provider: string;
  provider_payment_id: string | null;
  status: PaymentRecordStatus;
  amount: number;
  currency: string;
  amount_captured: number;
  amount_refunded: number;
  failure_code: string | null;
  failure_message: string | null;
  workflow_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export function toPaymentRecord(row: PaymentRow): PaymentRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    reference: row.reference,
    provider: row.provider,
    providerPaymentId: row.provider_payment_id,
    status: row.status,
    amount: { amount: Number(row.amount), currency: row.currency },
    amountCaptured: Number(row.amount_captured),
    amountRefunded: Number(row.amount_refunded),
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    workflowId: row.workflow_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface NewPayment {
  id: string;
  accountId?: string | null;
  kind: string;
  reference: string;
  provider: string;
  amount: Money;
  workflowId?: string;
}

/**
 * Creates the payment (status `pending`) with its `created` event, once. One statement, so it is
 * atomic without a transaction and costs one round trip (renewals run it thousands of times).
 */
export async function createPayment(db: Db, payment: NewPayment): Promise<PaymentRecord> {
  const result = await db.raw<{ rows: PaymentRow[] }>(
    `with ins as (
       insert into payments (id, account_id, kind, reference, provider, status, amount, currency, workflow_id)
       values (?, ?, ?, ?, ?, 'pending', ?, ?, ?)
       on conflict (id) do nothing
       returning *
     ), ev as (
       insert into payment_events (id, payment_id, type, data, correlation_id)
       values (?, ?, 'payment.created', ?, ?)
       on conflict (id) do nothing
     )
     select * from ins
     union all
     select * from payments where id = ? and not exists (select 1 from ins)`,
    [
      payment.id, payment.accountId ?? null, payment.kind, payment.reference, payment.provider, payment.amount.amount, payment.amount.currency, payment.workflowId ?? null,
      `${payment.id}/created`, payment.id, JSON.stringify({ amount: payment.amount, kind: payment.kind, reference: payment.reference }), payment.workflowId ?? null,
      payment.id,
    ],
  );
  return toPaymentRecord(result.rows[0]);
}

export interface PaymentChange {
  status?: PaymentRecordStatus;
  providerPaymentId?: string;
  amountCaptured?: number;
  amountRefunded?: number;
  failureCode?: string | null;
  failureMessage?: string | null;
}

const CHANGE_COLUMNS: [keyof PaymentChange, string][] = [
  ['status', 'status'],
  ['providerPaymentId', 'provider_payment_id'],
  ['amountCaptured', 'amount_captured'],
  ['amountRefunded', 'amount_refunded'],
  ['failureCode', 'failure_code'],
  ['failureMessage', 'failure_message'],
];

/**
 * Applies a change and appends its event in one statement (atomic, one round trip). When the
 * event id was already appended (a retried activity) nothing changes and the row is returned as
 * is, with `applied: false` (what metrics count once per business event by).
 */
export async function recordPaymentChange(db: Db, paymentId: string, change: PaymentChange, event: Omit<PaymentEvent, 'paymentId'>): Promise<PaymentRecord & { applied: boolean }> {
  const set = CHANGE_COLUMNS.filter(([key]) => change[key] !== undefined);
  const result = await db.raw<{ rows: PaymentRow[] }>(
    `with ev as (
       insert into payment_events (id, payment_id, type, data, correlation_id)
       values (?, ?, ?, ?, ?)
       on conflict (id) do nothing
       returning id
     ), upd as (
       update payments set ${set.map(() => '?? = ?, ').join('')}updated_at = now()
       where id = ? and exists (select 1 from ev)
       returning *
     )
     select *, true as applied from upd
     union all
     select *, false as applied from payments where id = ? and not exists (select 1 from upd)`,
    [event.id, paymentId, event.type, JSON.stringify(event.data ?? {}), event.correlationId ?? null, ...set.flatMap(([key, column]) => [column, change[key] as string | number | null]), paymentId, paymentId],
  );
  const row = result.rows[0] as PaymentRow & { applied: boolean };
  if (!row) throw new Error(`payment ${paymentId} does not exist`);
  return { ...toPaymentRecord(row), applied: row.applied };
}

/** Appends an event unless its id is already there; answers whether it was appended. */
export async function appendPaymentEvent(db: Db, event: PaymentEvent): Promise<boolean> {
  const inserted = await db('payment_events')
    .insert({ id: event.id, payment_id: event.paymentId, type: event.type, data: JSON.stringify(event.data ?? {}), correlation_id: event.correlationId ?? null })
    .onConflict('id')
    .ignore()
    .returning('id');
  return inserted.length > 0;
}

export async function getPayment(db: Db, id: string): Promise<PaymentRecord | null> {
  const row = await db<PaymentRow>('payments').where({ id }).first();
  return row ? toPaymentRecord(row) : null;
}

export async function listPaymentEvents(db: Db, paymentId: string) {
  const rows = await db('payment_events').where({ payment_id: paymentId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
  return rows.map((r: { id: string; type: string; data: Record<string, unknown>; correlation_id: string | null; created_at: Date }) => ({
    id: r.id,
    type: r.type,
    data: r.data,
    correlationId: r.correlation_id,
    createdAt: r.created_at.toISOString(),
  }));
}

/** An appended event by its id (a retried step looks up what it recorded the first time). */
export async function findPaymentEvent(db: Db, id: string): Promise<{ id: string; payment_id: string; type: string; data: Record<string, unknown>; correlation_id: string | null; created_at: Date } | undefined> {
  return db('payment_events').where({ id }).first();
}

/** The admin pages' filter over payments; every field narrows it. */
export interface PaymentFilter {
  status?: PaymentRecordStatus;
  accountId?: string;
  kind?: string;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
}

function filteredPayments(db: Db, filter: PaymentFilter) {
  const query = db('payments');
  if (filter.status) query.where({ status: filter.status });
  if (filter.accountId) query.where({ account_id: filter.accountId });
  if (filter.kind) query.where({ kind: filter.kind });
  if (filter.from) query.where('created_at', '>=', filter.from);
  if (filter.to) query.where('created_at', '<', filter.to);
  return query;
}

/** A page of the payments matching the filter, newest first. */
export async function listPayments(db: Db, filter: PaymentFilter, page: { limit: number; cursor?: string }): Promise<{ items: PaymentRecord[]; nextCursor: string | null }> {
  const { rows, nextCursor } = await newestFirstPage<PaymentRow>(filteredPayments(db, filter), page);
  return { items: rows.map(toPaymentRecord), nextCursor };
}

export interface PaymentTotal {
  currency: string;
  count: number;
  amount: number;
  captured: number;
  refunded: number;
}

/** Per currency over everything the filter matches (not just one page): count and sums. */
export async function paymentTotals(db: Db, filter: PaymentFilter): Promise<PaymentTotal[]> {
  const rows = (await filteredPayments(db, filter)
    .select('currency')
    .count({ count: '*' })
    .sum({ amount: 'amount', captured: 'amount_captured', refunded: 'amount_refunded' })
    .groupBy('currency')
    .orderBy('currency')) as unknown as { currency: string; count: string | number; amount: string | number; captured: string | number; refunded: string | number }[];
  return rows.map((t) => ({ currency: t.currency, count: Number(t.count), amount: Number(t.amount), captured: Number(t.captured), refunded: Number(t.refunded) }));
}

/** The workflow of the recorded payment with this provider payment id (the Stripe webhook routes events by it). */
export async function workflowIdOfProviderPayment(db: Db, providerPaymentId: string): Promise<string | undefined> {
  const row = await db('payments').where({ provider_payment_id: providerPaymentId }).whereNotNull('workflow_id').first('workflow_id');
  return row?.workflow_id ?? undefined;
}
