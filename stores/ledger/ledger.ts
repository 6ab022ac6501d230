import type { Money } from '../../domain/money';
import type { Db } from '../../platform/db';

/**
 * Double-entry ledger. Accounts are strings such as `talent:<id>:payable`, `platform:fees`,
 * `customer:<id>`, `provider:<name>:clearing`. A transaction's entries sum to zero per currency
 * (checked here and enforced by a deferred constraint trigger in the database).
 */
export interface LedgerEntry {
  account: string;
  amount: Money;
}

export interface LedgerTransaction {
  /** Deterministic per business step (`<workflowId>/ledger/capture`): posting twice is a no-op. */
  id: string;
  kind: string;
  reference: string;
  description?: string;
  entries: LedgerEntry[];
}

export function assertBalanced(entries: LedgerEntry[]): void {
  if (entries.length < 2) throw new RangeError('a ledger transaction needs at least two entries');
  const totals = new Map<string, number>();
  for (const e of entries) {
    if (!Number.isSafeInteger(e.amount.amount)) throw new RangeError(`ledger amounts are integers, got ${e.amount.amount}`);
    totals.set(e.amount.currency, (totals.get(e.amount.currency) ?? 0) + e.amount.amount);
  }
  for (const [currency, total] of totals) if (total !== 0) throw new RangeError(`ledger transaction does not balance in ${currency}: off by ${total}`);
}

/** Posts the transaction once; answers whether it was new. */
export async function postLedgerTransaction(db: Db, tx: LedgerTransaction): Promise<boolean> {
  assertBalanced(tx.entries);
  return db.transaction(async (trx) => {
    const inserted = await trx('ledger_transactions')
      .insert({ id: tx.id, kind: tx.kind, reference: tx.reference, description: tx.description ?? null })
      .onConflict('id')
      .ignore()
      .returning('id');
    if (inserted.length === 0) return false;
    await trx('ledger_entries').insert(tx.entries.map((e, i) => ({ transaction_id: tx.id, entry_no: i + 1, account: e.account, amount: e.amount.amount, currency: e.amount.currency })));
    return true;
  });
}

/** Balance of one ledger account, per currency. */
export async function accountBalance(db: Db, account: string): Promise<Money[]> {
  const rows = await db('ledger_entries').select('currency').sum({ total: 'amount' }).where({ account }).groupBy('currency');
  return (rows as unknown as { currency: string; total: string | number }[]).map((r) => ({ amount: Number(r.total), currency: r.currency }));
}

/** Sum of all entries per currency: zero in a healthy ledger (benchmarks report it). */
export async function ledgerImbalance(db: Db): Promise<Money[]> {
  const rows = await db('ledger_entries').select('currency').sum({ total: 'amount' }).groupBy('currency');
  return (rows as unknown as { currency: string; total: string | number }[]).map((r) => ({ amount: Number(r.total), currency: r.currency }));
}
