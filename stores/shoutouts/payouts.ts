import { randomUUID } from 'node:crypto';
import type { CsvError } from '../../domain/csv';
import { monthRange } from '../../domain/shoutouts';
import { parsePayoutsImport, type Payout, type PayoutImportLine } from '../../domain/shoutouts/payouts';
import type { Db } from '../../platform/db';
import { accountContacts } from '../accounts/accounts';

export type { Payout } from '../../domain/shoutouts/payouts';

/**
 * `shoutout_payouts`: monthly talent payouts. Exporting a month freezes it: the first export
 * computes one payout per (talent, currency) with deliveries that month and stores them; every
 * later export returns those same rows. Per row: orders delivered in the month, gross (what fans
 * paid), the platform fee, the refunds taken back from the talent (their share of refunds
 * completed in the month) and the amount due = gross − fee − refunds. The bank's answer comes back
 * with `importPayouts`. The file formats are in domain/shoutouts/payouts.ts.
 */
interface PayoutRow {
  id: string;
  month: string;
  talent_id: string;
  name: string;
  email: string;
  orders: number;
  gross: number;
  platform_fee: number;
  refunds: number;
  amount_due: number;
  currency: string;
  status: Payout['status'];
  paid_at: Date | null;
  reference: string | null;
}

const toPayout = (r: PayoutRow): Payout => {
  const m = (amount: number | string) => ({ amount: Number(amount), currency: r.currency });
  return {
    id: r.id,
    month: r.month,
    talentId: r.talent_id,
    name: r.name,
    email: r.email,
    orders: Number(r.orders),
    gross: m(r.gross),
    platformFee: m(r.platform_fee),
    refunds: m(r.refunds),
    amountDue: m(r.amount_due),
    currency: r.currency,
    status: r.status,
    paidAt: r.paid_at ? r.paid_at.toISOString() : null,
    reference: r.reference,
  };
};

export class PayoutMonthError extends Error {}

export async function exportPayouts(db: Db, month: string): Promise<Payout[]> {
  const range = monthRange(month);
  if (!range) throw new PayoutMonthError(`month must be YYYY-MM, got "${month}"`);
  return db.transaction(async (trx) => {
    // One exporter per month at a time: the second waits and then finds the rows.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`shoutout-payouts:${month}`]);
    let rows: PayoutRow[] = await trx('shoutout_payouts').where({ month }).orderBy([{ column: 'name' }, { column: 'talent_id' }, { column: 'currency' }]);
    if (rows.length > 0) return rows.map(toPayout);
    const computed = await trx.raw(
      `
      with delivered as (
        select talent_id, currency, count(*)::int as orders, sum(price_amount) as gross, sum(coalesce(platform_fee_amount, 0)) as platform_fee
        from shoutout_orders where delivered_at >= ? and delivered_at < ? group by talent_id, currency
      ), refunded as (
        select talent_id, currency, sum(talent_portion) as refunds
        from shoutout_refunds where status = 'succeeded' and completed_at >= ? and completed_at < ? group by talent_id, currency
      )
      select d.talent_id, d.currency, d.orders, d.gross, d.platform_fee, coalesce(r.refunds, 0) as refunds, t.display_name
      from delivered d
      left join shoutout_talents t on t.account_id = d.talent_id
      left join refunded r on r.talent_id = d.talent_id and r.currency = d.currency
      `,
      [range.start, range.end, range.start, range.end],
    );
    const totals = computed.rows as { talent_id: string; currency: string; orders: number; gross: string; platform_fee: string; refunds: string; display_name: string | null }[];
    // Names and emails are the accounts capability's: read through its store (in this transaction).
    const contacts = await accountContacts(trx, totals.map((r) => r.talent_id));
    const inserts = totals.flatMap((r) => {
      const contact = contacts.get(r.talent_id);
      if (!contact) return [];
      return [{
        id: `po_${randomUUID().replace(/-/g, '')}`,
        month,
        talent_id: r.talent_id,
        name: r.display_name ?? contact.name,
        email: contact.email,
        orders: r.orders,
        gross: Number(r.gross),
        platform_fee: Number(r.platform_fee),
        refunds: Number(r.refunds),
        amount_due: Number(r.gross) - Number(r.platform_fee) - Number(r.refunds),
        currency: r.currency,
      }];
    });
    if (inserts.length) await trx('shoutout_payouts').insert(inserts);
    rows = await trx('shoutout_payouts').where({ month }).orderBy([{ column: 'name' }, { column: 'talent_id' }, { column: 'currency' }]);
    return rows.map(toPayout);
  });
}

export interface ImportResult {
  ok: boolean;
  /** Rows whose payout changed. */
  applied: number;
  /** Rows that already said what the payout says (a re-import). */
  unchanged: number;
  errors: CsvError[];
}

/**
 * Applies the bank's answer: one row per payout (`payout_id,status,paid_at,reference`, status
 * `paid` | `failed`). All or nothing: any bad line rejects the whole file, and every bad line is
 * listed. Importing the same file again changes nothing. A payout already paid cannot change.
 */
export async function importPayouts(db: Db, text: string): Promise<ImportResult> {
  const parsed = parsePayoutsImport(text);
  if (parsed.empty) return { ok: false, applied: 0, unchanged: 0, errors: parsed.errors };
  const errors = [...parsed.errors];
  if (parsed.noRows && !errors.length) return { ok: true, applied: 0, unchanged: 0, errors: [] };

  return db.transaction(async (trx) => {
    const ids = parsed.lines.map((c) => c.id);
    const existing: PayoutRow[] = ids.length ? await trx('shoutout_payouts').whereIn('id', ids).forUpdate() : [];
    const byId = new Map(existing.map((r) => [r.id, r]));
    const updates: PayoutImportLine[] = [];
    let unchanged = 0;
    for (const change of parsed.lines) {
      const row = byId.get(change.id);
      if (!row) {
        errors.push({ line: change.line, message: `payout ${change.id} does not exist` });
        continue;
      }
      const same = row.status === change.status && (row.paid_at?.getTime() ?? null) === (change.paidAt?.getTime() ?? null) && (row.reference ?? null) === change.reference;
      if (same) {
        unchanged++;
        continue;
      }
      if (row.status === 'paid') {
        errors.push({ line: change.line, message: `payout ${change.id} is already paid (${row.reference ?? 'no reference'}); it cannot change` });
        continue;
      }
      updates.push(change);
    }
    if (errors.length) {
      errors.sort((a, b) => a.line - b.line);
      return { ok: false, applied: 0, unchanged: 0, errors };
    }
    for (const u of updates) {
      await trx('shoutout_payouts').where({ id: u.id }).update({ status: u.status, paid_at: u.paidAt, reference: u.reference, updated_at: trx.fn.now() });
    }
    return { ok: true, applied: updates.length, unchanged, errors: [] };
  });
}
