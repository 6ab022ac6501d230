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

/** Creates the payment (status `pending`) with its `created` event, once. */
export async function createPayment(db: Db, payment: NewPayment): Promise<PaymentRecord> {
  return db.transaction(async (trx) => {
    await trx('payments')
      .insert({
        id: payment.id,
        account_id: payment.accountId ?? null,
        kind: payment.kind,
        reference: payment.reference,
        provider: payment.provider,
        status: 'pending',
        amount: payment.amount.amount,
        currency: payment.amount.currency,
        workflow_id: payment.workflowId ?? null,
      })
      .onConflict('id')
      .ignore();
    await appendPaymentEvent(trx, { id: `${payment.id}/created`, paymentId: payment.id, type: 'payment.created', data: { amount: payment.amount, kind: payment.kind, reference: payment.reference }, correlationId: payment.workflowId });
    const row = await trx<PaymentRow>('payments').where({ id: payment.id }).first();
    return toPaymentRecord(row!);
  });
}

export interface PaymentChange {
  status?: PaymentRecordStatus;
  providerPaymentId?: string;
  amountCaptured?: number;
  amountRefunded?: number;
  failureCode?: string | null;
  failureMessage?: string | null;
}

/**
 * Applies a change and appends its event in one database transaction. When the event id was
 * already appended (a retried activity) nothing changes.
 */
export async function recordPaymentChange(db: Db, paymentId: string, change: PaymentChange, event: Omit<PaymentEvent, 'paymentId'>): Promise<PaymentRecord> {
  return db.transaction(async (trx) => {
    const appended = await appendPaymentEvent(trx, { ...event, paymentId });
    if (appended) {
      const patch: Record<string, unknown> = { updated_at: trx.fn.now() };
      if (change.status !== undefined) patch.status = change.status;
      if (change.providerPaymentId !== undefined) patch.provider_payment_id = change.providerPaymentId;
      if (change.amountCaptured !== undefined) patch.amount_captured = change.amountCaptured;
      if (change.amountRefunded !== undefined) patch.amount_refunded = change.amountRefunded;
      if (change.failureCode !== undefined) patch.failure_code = change.failureCode;
      if (change.failureMessage !== undefined) patch.failure_message = change.failureMessage;
      await trx('payments').where({ id: paymentId }).update(patch);
    }
    const row = await trx<PaymentRow>('payments').where({ id: paymentId }).first();
    if (!row) throw new Error(`payment ${paymentId} does not exist`);
    return toPaymentRecord(row);
  });
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
