import type { Knex } from 'knex';
import type { Db } from '../../platform/db';
import { cursorAfter, encodeCursor } from '../pagination';

/**
 * `starkbank_invoices`: our record of every invoice a schedule run issued. Written by the issuing
 * activity (idempotent by the bank's invoice id), its status then follows the webhook events
 * (`followInvoiceEvents`, inside the event log's transaction); the admin list reads it.
 */
export interface InvoiceRow {
  id: string;
  provider: string;
  run_id: string;
  workflow_id: string;
  amount: number;
  fee: number;
  status: string;
  name: string;
  tax_id: string;
  due: Date;
  expiration: number;
  tags: string[];
  credited_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** An invoice as the bank answered it. */
export interface IssuedInvoice {
  id: string;
  amount: number;
  fee: number;
  status: string;
  name: string;
  taxId: string;
  due: string;
  expiration: number;
  tags: string[];
}

/** Records a run's invoices; an id already recorded (a retried activity) is left as it is. Answers how many were new. */
export async function insertInvoices(db: Db, invoices: IssuedInvoice[], run: { provider: string; runId: string; workflowId: string }): Promise<number> {
  if (!invoices.length) return 0;
  const inserted = await db('starkbank_invoices')
    .insert(
      invoices.map((i) => ({
        id: i.id,
        provider: run.provider,
        run_id: run.runId,
        workflow_id: run.workflowId,
        amount: i.amount,
        fee: i.fee,
        status: i.status,
        name: i.name,
        tax_id: i.taxId,
        due: new Date(i.due),
        expiration: i.expiration,
        tags: JSON.stringify(i.tags),
      })),
    )
    .onConflict('id')
    .ignore()
    .returning('id');
  return inserted.length;
}

/** What an invoice event tells about our invoice. */
export interface InvoiceEvent {
  invoiceId: string;
  /** The event's log type: created, registered, paid, credited, canceled, … */
  logType: string;
  /** The invoice's fee as the event tells it. */
  fee: number;
}

/**
 * Our invoices' status follows their events, in the caller's transaction (the one storing the
 * events). A credited invoice never goes back to created/registered/paid (events arrive in any
 * order); of several events for one invoice in a batch, a `credited` one wins.
 */
export async function followInvoiceEvents(trx: Knex.Transaction, events: InvoiceEvent[]): Promise<void> {
  const byInvoice = new Map<string, InvoiceEvent>();
  for (const e of events) {
    const seen = byInvoice.get(e.invoiceId);
    if (!seen || e.logType === 'credited') byInvoice.set(e.invoiceId, e);
  }
  if (!byInvoice.size) return;
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

/**
 * A page of invoices, newest first, keyed on (created_at to the millisecond, id): the cursor holds
 * milliseconds, so the comparison truncates too. A cursor this API did not issue throws InvalidCursorError.
 */
export async function pageInvoices(db: Db, page: { limit: number; cursor?: string; status?: string; runId?: string }): Promise<{ rows: InvoiceRow[]; nextCursor: string | null }> {
  const after = cursorAfter(page.cursor);
  const q = db('starkbank_invoices').select('*', db.raw(`date_trunc('milliseconds', created_at) as created_ms`));
  if (page.status) q.where({ status: page.status });
  if (page.runId) q.where({ run_id: page.runId });
  if (after) q.whereRaw(`(date_trunc('milliseconds', created_at), id) < (?::timestamptz, ?)`, [after.createdAt, after.id]);
  const rows = (await q.orderByRaw(`date_trunc('milliseconds', created_at) desc, id desc`).limit(page.limit + 1)) as (InvoiceRow & { created_ms: Date })[];
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { rows: items, nextCursor: rows.length > page.limit && last ? encodeCursor(last.created_ms, last.id) : null };
}
