import type { Db } from '../../platform/db';
import { cursorAfter, encodeCursor } from '../pagination';

/**
 * `starkbank_transfers`: one row per invoice whose credit was forwarded (or refused), keyed by the
 * transfer's external id (`invoice-<invoiceId>`: the bank refuses a second transfer with it). The
 * sending activity reads it to skip credits already sent and writes what the bank answered; the
 * admin list reads it.
 */
export interface TransferRow {
  external_id: string;
  /** The bank's transfer id; null when the bank refused the batch. */
  id: string | null;
  invoice_id: string;
  batch_id: string;
  amount: number;
  status: string;
  bank_code: string;
  branch_code: string;
  account_number: string;
  name: string;
  tax_id: string;
  account_type: string;
  failure_message: string | null;
  created_at: Date;
}

/** A transfer as the bank answered it (or as we asked for it, when refused), with its invoice. */
export interface SentTransfer {
  externalId: string;
  /** Empty when the bank refused it. */
  id: string;
  invoiceId: string;
  amount: number;
  status: string;
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  name: string;
  taxId: string;
  accountType: string;
}

/** Records a batch's transfers; an external id already recorded (an earlier batch, a retry) is left as it is. Answers the new ones. */
export async function insertTransfers(db: Db, transfers: SentTransfer[], batchId: string, failure?: string): Promise<{ externalId: string; amount: number }[]> {
  if (!transfers.length) return [];
  const inserted: { external_id: string; amount: string | number }[] = await db('starkbank_transfers')
    .insert(
      transfers.map((t) => ({
        external_id: t.externalId,
        id: t.id || null,
        invoice_id: t.invoiceId,
        batch_id: batchId,
        amount: t.amount,
        status: t.status,
        bank_code: t.bankCode,
        branch_code: t.branchCode,
        account_number: t.accountNumber,
        name: t.name,
        tax_id: t.taxId,
        account_type: t.accountType,
        failure_message: failure ?? null,
      })),
    )
    .onConflict('external_id')
    .ignore()
    .returning(['external_id', 'amount']);
  return inserted.map((r) => ({ externalId: r.external_id, amount: Number(r.amount) }));
}

/** The transfers already recorded among these external ids (what a batch must not send again). */
export async function findTransfers(db: Db, externalIds: string[]): Promise<{ externalId: string; batchId: string; id: string | null; amount: number }[]> {
  const rows = (await db('starkbank_transfers').whereIn('external_id', externalIds).select('external_id', 'batch_id', 'id', 'amount')) as Pick<TransferRow, 'external_id' | 'batch_id' | 'id' | 'amount'>[];
  return rows.map((r) => ({ externalId: r.external_id, batchId: r.batch_id, id: r.id, amount: Number(r.amount) }));
}

/**
 * A page of transfers, newest first, keyed on (created_at to the millisecond, external_id): the
 * cursor holds milliseconds, so the comparison truncates too. A cursor this API did not issue
 * throws InvalidCursorError.
 */
export async function pageTransfers(db: Db, page: { limit: number; cursor?: string; batchId?: string; status?: string }): Promise<{ rows: TransferRow[]; nextCursor: string | null }> {
  const after = cursorAfter(page.cursor);
  const q = db('starkbank_transfers').select('*', db.raw(`date_trunc('milliseconds', created_at) as created_ms`));
  if (page.batchId) q.where({ batch_id: page.batchId });
  if (page.status) q.where({ status: page.status });
  if (after) q.whereRaw(`(date_trunc('milliseconds', created_at), external_id) < (?::timestamptz, ?)`, [after.createdAt, after.id]);
  const rows = (await q.orderByRaw(`date_trunc('milliseconds', created_at) desc, external_id desc`).limit(page.limit + 1)) as (TransferRow & { created_ms: Date })[];
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { rows: items, nextCursor: rows.length > page.limit && last ? encodeCursor(last.created_ms, last.external_id) : null };
}
