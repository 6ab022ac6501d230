import { randomUUID } from 'node:crypto';
import type { CsvError } from '../../domain/csv';
import { monthRange } from '../../domain/shoutouts';
import { parsePayoutsImport, type Payout, type PayoutImportLine } from '../../domain/shoutouts/payouts';
import type { Db } from '../../platform/db';
import { accountContacts } from '../accounts/accounts';

export type { Payout } from '../../domain/shoutouts/payouts';

/**
 * `shoutout_payouts`: monthly talent payouts. Only a closed month can be frozen: the first export
 * after the month is over computes one payout per (talent, currency) and stores it with the
 * deliveries and refunds it counts (`shoutout_payout_items`, each at most once); every later export
 * returns those same rows. The current (or a future) month is a preview: computed the same way,
 * stored nowhere. Per row: orders delivered in the month, gross (what fans paid), the platform fee,
 * the refunds taken back from the talent (their share of refunds completed in the month), the
 * adjustments (deliveries and refunds that landed in an already frozen month after it was frozen,
 * carried into this payout) and the amount due = gross − fee − refunds + adjustments. So every
 * delivered order is paid exactly once. The bank's answer comes back with `importPayouts`. The file
 * formats are in domain/shoutouts/payouts.ts.
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
  adjustments: number;
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
    adjustments: m(r.adjustments),
    amountDue: m(r.amount_due),
    currency: r.currency,
    status: r.status,
    paidAt: r.paid_at ? r.paid_at.toISOString() : null,
    reference: r.reference,
  };
};

export class PayoutMonthError extends Error {}

export interface MonthPayouts {
  /** True while the month is not over: the figures can still change and nothing was stored. */
  preview: boolean;
  payouts: Payout[];
}

interface Item {
  kind: 'delivery' | 'refund';
  ref_id: string;
  talent_id: string;
  currency: string;
  gross: string;
  fee: string;
  amount: string;
  adjustment: boolean;
}

const ORDER = [{ column: 'name' }, { column: 'talent_id' }, { column: 'currency' }];

/**
 * What a payout of `month` would count: the month's deliveries and refunds not yet in any payout,
 * plus the late ones of months already frozen (adjustments). Earlier months never frozen keep
 * theirs for their own payout.
 */
async function unpaidItems(trx: Db, range: { start: Date; end: Date }): Promise<Item[]> {
  const result = await trx.raw(
    `
    select 'delivery' as kind, o.id as ref_id, o.talent_id, o.currency, o.price_amount as gross, coalesce(o.platform_fee_amount, 0) as fee,
      o.price_amount - coalesce(o.platform_fee_amount, 0) as amount, o.delivered_at < :start as adjustment
    from shoutout_orders o
    where o.delivered_at < :end
      and (o.delivered_at >= :start or to_char(o.delivered_at at time zone 'UTC', 'YYYY-MM') in (select month from shoutout_payout_months))
      and not exists (select 1 from shoutout_payout_items i where i.kind = 'delivery' and i.ref_id = o.id)
    union all
    select 'refund', r.id, r.talent_id, r.currency, 0, 0, -r.talent_portion, r.completed_at < :start
    from shoutout_refunds r
    where r.status = 'succeeded' and r.completed_at < :end
      and (r.completed_at >= :start or to_char(r.completed_at at time zone 'UTC', 'YYYY-MM') in (select month from shoutout_payout_months))
      and not exists (select 1 from shoutout_payout_items i where i.kind = 'refund' and i.ref_id = r.id)
    `,
    { start: range.start, end: range.end },
  );
  return result.rows as Item[];
}

async function computePayouts(trx: Db, month: string, items: Item[]): Promise<{ rows: PayoutRow[]; itemsOf: Map<string, Item[]> }> {
  const groups = new Map<string, { talentId: string; currency: string; items: Item[] }>();
  for (const item of items) {
    const key = `${item.talent_id}/${item.currency}`;
    if (!groups.has(key)) groups.set(key, { talentId: item.talent_id, currency: item.currency, items: [] });
    groups.get(key)!.items.push(item);
  }
  const talentIds = [...new Set(items.map((i) => i.talent_id))];
  // Names and emails are the accounts capability's: read through its store (in this transaction).
  const contacts = await accountContacts(trx, talentIds);
  const names = new Map<string, string>(
    (await trx('shoutout_talents').whereIn('account_id', talentIds).select('account_id', 'display_name')).map((t: { account_id: string; display_name: string }) => [t.account_id, t.display_name]),
  );
  const rows: PayoutRow[] = [];
  const itemsOf = new Map<string, Item[]>();
  for (const g of groups.values()) {
    const contact = contacts.get(g.talentId);
    if (!contact) continue;
    const inMonth = g.items.filter((i) => !i.adjustment);
    const total = (list: Item[], f: (i: Item) => number) => list.reduce((acc, i) => acc + f(i), 0);
    const gross = total(inMonth, (i) => Number(i.gross));
    const fee = total(inMonth, (i) => Number(i.fee));
    const refunds = -total(inMonth.filter((i) => i.kind === 'refund'), (i) => Number(i.amount));
    const adjustments = total(g.items.filter((i) => i.adjustment), (i) => Number(i.amount));
    const id = `po_${randomUUID().replace(/-/g, '')}`;
    itemsOf.set(id, g.items);
    rows.push({
      id,
      month,
      talent_id: g.talentId,
      name: names.get(g.talentId) ?? contact.name,
      email: contact.email,
      orders: inMonth.filter((i) => i.kind === 'delivery').length,
      gross,
      platform_fee: fee,
      refunds,
      adjustments,
      amount_due: gross - fee - refunds + adjustments,
      currency: g.currency,
      status: 'pending',
      paid_at: null,
      reference: null,
    });
  }
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.talent_id < b.talent_id ? -1 : a.talent_id > b.talent_id ? 1 : a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  return { rows, itemsOf };
}

/** A month's payouts: frozen (and stored once) when the month is over, else a preview. */
export async function monthPayouts(db: Db, month: string, now: Date = new Date()): Promise<MonthPayouts> {
  const range = monthRange(month);
  if (!range) throw new PayoutMonthError(`month must be YYYY-MM, got "${month}"`);
  return db.transaction(async (trx) => {
    // One freezer at a time: the second waits and then finds the rows; items are claimed once.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['shoutout-payouts']);
    const frozen = await trx('shoutout_payout_months').where({ month }).first();
    if (frozen) return { preview: false, payouts: (await trx<PayoutRow>('shoutout_payouts').where({ month }).orderBy(ORDER)).map(toPayout) };
    const preview = range.end.getTime() > now.getTime();
    const { rows, itemsOf } = await computePayouts(trx, month, await unpaidItems(trx, range));
    if (preview) return { preview, payouts: rows.map((r) => toPayout({ ...r, id: `preview_${r.talent_id}_${r.currency}` })) };
    await trx('shoutout_payout_months').insert({ month, frozen_at: now });
    for (const row of rows) {
      const { status: _status, paid_at: _paidAt, reference: _reference, ...fields } = row;
      await trx('shoutout_payouts').insert(fields);
      const items = itemsOf.get(row.id)!.map((i) => ({ kind: i.kind, ref_id: i.ref_id, payout_id: row.id, amount: Number(i.amount), adjustment: i.adjustment }));
      for (let k = 0; k < items.length; k += 500) await trx('shoutout_payout_items').insert(items.slice(k, k + 500));
    }
    return { preview, payouts: (await trx<PayoutRow>('shoutout_payouts').where({ month }).orderBy(ORDER)).map(toPayout) };
  });
}

/** The month's payouts (a preview while the month is not over). */
export async function exportPayouts(db: Db, month: string): Promise<Payout[]> {
  return (await monthPayouts(db, month)).payouts;
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
