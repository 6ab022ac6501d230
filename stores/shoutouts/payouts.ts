import { randomUUID } from 'node:crypto';
import { formatCsv, parseCsv, type CsvError } from '../../domain/csv';
import { CURRENCY_EXPONENT, type Money } from '../../domain/money';
import { monthRange } from '../../domain/shoutouts';
import type { Db } from '../../platform/db';

/**
 * Monthly talent payouts. Exporting a month freezes it: the first export computes one payout per
 * (talent, currency) with deliveries that month and stores them; every later export returns those
 * same rows. Per row: orders delivered in the month, gross (what fans paid), the platform fee, the
 * refunds taken back from the talent (their share of refunds completed in the month) and the amount
 * due = gross − fee − refunds. The bank's answer comes back with `importPayouts`.
 */
export interface Payout {
  id: string;
  month: string;
  talentId: string;
  name: string;
  email: string;
  orders: number;
  gross: Money;
  platformFee: Money;
  refunds: Money;
  amountDue: Money;
  currency: string;
  status: 'pending' | 'paid' | 'failed';
  paidAt: string | null;
  reference: string | null;
}

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
      select d.talent_id, d.currency, d.orders, d.gross, d.platform_fee, coalesce(r.refunds, 0) as refunds,
             coalesce(t.display_name, a.name) as name, a.email
      from delivered d
      join accounts a on a.id = d.talent_id
      left join shoutout_talents t on t.account_id = d.talent_id
      left join refunded r on r.talent_id = d.talent_id and r.currency = d.currency
      `,
      [range.start, range.end, range.start, range.end],
    );
    const inserts = (computed.rows as { talent_id: string; currency: string; orders: number; gross: string; platform_fee: string; refunds: string; name: string; email: string }[]).map((r) => ({
      id: `po_${randomUUID().replace(/-/g, '')}`,
      month,
      talent_id: r.talent_id,
      name: r.name,
      email: r.email,
      orders: r.orders,
      gross: Number(r.gross),
      platform_fee: Number(r.platform_fee),
      refunds: Number(r.refunds),
      amount_due: Number(r.gross) - Number(r.platform_fee) - Number(r.refunds),
      currency: r.currency,
    }));
    if (inserts.length) await trx('shoutout_payouts').insert(inserts);
    rows = await trx('shoutout_payouts').where({ month }).orderBy([{ column: 'name' }, { column: 'talent_id' }, { column: 'currency' }]);
    return rows.map(toPayout);
  });
}

/** Minor units as a decimal in major units ("1234" USD → "12.34"). */
export function decimal(m: Money): string {
  const exp = CURRENCY_EXPONENT[m.currency] ?? 2;
  const negative = m.amount < 0;
  const abs = Math.abs(m.amount);
  const major = Math.floor(abs / 10 ** exp);
  return `${negative ? '-' : ''}${major}${exp ? '.' + String(abs % 10 ** exp).padStart(exp, '0') : ''}`;
}

export const PAYOUT_EXPORT_HEADER = ['payout_id', 'talent_id', 'name', 'email', 'orders', 'gross', 'platform_fee', 'refunds', 'amount_due', 'currency'];
export const PAYOUT_IMPORT_HEADER = ['payout_id', 'status', 'paid_at', 'reference'];

/** The export file: money in major units with the currency's decimals. */
export function payoutsCsv(payouts: Payout[]): string {
  return formatCsv([
    PAYOUT_EXPORT_HEADER,
    ...payouts.map((p) => [p.id, p.talentId, p.name, p.email, p.orders, decimal(p.gross), decimal(p.platformFee), decimal(p.refunds), decimal(p.amountDue), p.currency]),
  ]);
}

export interface ImportResult {
  ok: boolean;
  /** Rows whose payout changed. */
  applied: number;
  /** Rows that already said what the payout says (a re-import). */
  unchanged: number;
  errors: CsvError[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Applies the bank's answer: one row per payout (`payout_id,status,paid_at,reference`, status
 * `paid` | `failed`). All or nothing: any bad line rejects the whole file, and every bad line is
 * listed. Importing the same file again changes nothing. A payout already paid cannot change.
 */
export async function importPayouts(db: Db, text: string): Promise<ImportResult> {
  const parsed = parseCsv(text);
  const errors: CsvError[] = [...parsed.errors];
  const bad = new Set(errors.map((e) => e.line));
  const fail = (line: number, message: string) => {
    if (!bad.has(line)) errors.push({ line, message });
    bad.add(line);
  };
  const [header, ...records] = parsed.records;
  if (!header) return { ok: false, applied: 0, unchanged: 0, errors: [{ line: 1, message: 'the file is empty' }] };
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const index = Object.fromEntries(PAYOUT_IMPORT_HEADER.map((name) => [name, columns.indexOf(name)]));
  const missing = PAYOUT_IMPORT_HEADER.filter((name) => index[name] < 0);
  if (missing.length) fail(header.line, `the header lacks ${missing.join(', ')} (expected ${PAYOUT_IMPORT_HEADER.join(',')})`);

  interface Change {
    line: number;
    id: string;
    status: 'paid' | 'failed';
    paidAt: Date | null;
    reference: string | null;
  }
  const changes: Change[] = [];
  const seen = new Map<string, number>();
  if (!missing.length) {
    for (const record of records) {
      if (bad.has(record.line)) continue;
      if (record.fields.length !== columns.length) {
        fail(record.line, `expected ${columns.length} fields, found ${record.fields.length}`);
        continue;
      }
      const get = (name: string) => record.fields[index[name]].trim();
      const id = get('payout_id');
      const status = get('status').toLowerCase();
      const paidAtText = get('paid_at');
      const reference = get('reference');
      const problems: string[] = [];
      if (!id) problems.push('payout_id is empty');
      else if (seen.has(id)) problems.push(`payout ${id} is already on line ${seen.get(id)}`);
      if (status !== 'paid' && status !== 'failed') problems.push(`status must be paid or failed, got "${get('status')}"`);
      let paidAt: Date | null = null;
      if (paidAtText) {
        paidAt = ISO_DATE.test(paidAtText) ? new Date(paidAtText) : null;
        if (!paidAt || Number.isNaN(paidAt.getTime())) problems.push(`paid_at must be an ISO 8601 date, got "${paidAtText}"`);
      } else if (status === 'paid') problems.push('paid_at is required when status is paid');
      if (status === 'paid' && !reference) problems.push('reference is required when status is paid');
      if (reference.length > 200) problems.push('reference is longer than 200 characters');
      if (problems.length) {
        fail(record.line, problems.join('; '));
        continue;
      }
      seen.set(id, record.line);
      changes.push({ line: record.line, id, status: status as Change['status'], paidAt: status === 'paid' ? paidAt : null, reference: reference || null });
    }
  }
  if (records.length === 0 && !errors.length) return { ok: true, applied: 0, unchanged: 0, errors: [] };

  return db.transaction(async (trx) => {
    const ids = changes.map((c) => c.id);
    const existing: PayoutRow[] = ids.length ? await trx('shoutout_payouts').whereIn('id', ids).forUpdate() : [];
    const byId = new Map(existing.map((r) => [r.id, r]));
    const updates: Change[] = [];
    let unchanged = 0;
    for (const change of changes) {
      const row = byId.get(change.id);
      if (!row) {
        fail(change.line, `payout ${change.id} does not exist`);
        continue;
      }
      const same = row.status === change.status && (row.paid_at?.getTime() ?? null) === (change.paidAt?.getTime() ?? null) && (row.reference ?? null) === change.reference;
      if (same) {
        unchanged++;
        continue;
      }
      if (row.status === 'paid') {
        fail(change.line, `payout ${change.id} is already paid (${row.reference ?? 'no reference'}); it cannot change`);
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
