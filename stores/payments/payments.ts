import type { Money } from '../../domain/money';
import type { Db } from '../../platform/db';

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
 * event id was already appended (a retried activity) nothing changes and the row is returned as is.
 */
export async function recordPaymentChange(db: Db, paymentId: string, change: PaymentChange, event: Omit<PaymentEvent, 'paymentId'>): Promise<PaymentRecord> {
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
     select * from upd
     union all
     select * from payments where id = ? and not exists (select 1 from upd)`,
    [event.id, paymentId, event.type, JSON.stringify(event.data ?? {}), event.correlationId ?? null, ...set.flatMap(([key, column]) => [column, change[key] as string | number | null]), paymentId, paymentId],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`payment ${paymentId} does not exist`);
  return toPaymentRecord(row);
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
