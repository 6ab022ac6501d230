import type { MoneyViolation } from '../../domain/operations/invariants';
import type { Db } from '../../platform/db';

/** Read-only: every ledger transaction sums to zero in each currency, and has entries. */
export async function ledgerViolations(db: Db): Promise<MoneyViolation[]> {
  const unbalanced = await db('ledger_entries').select('transaction_id', 'currency').sum({ total: 'amount' }).groupBy('transaction_id', 'currency').havingRaw('sum(amount) <> 0');
  const empty = await db('ledger_transactions as t').leftJoin('ledger_entries as e', 'e.transaction_id', 't.id').whereNull('e.transaction_id').select('t.id');
  return [
    ...(unbalanced as unknown as { transaction_id: string; currency: string; total: string }[]).map((r) => ({
      invariant: 'ledger.balanced',
      rows: [`ledger_transactions:${r.transaction_id}`],
      detail: `transaction ${r.transaction_id} sums to ${r.total} ${r.currency}, not zero`,
    })),
    ...(empty as { id: string }[]).map((r) => ({ invariant: 'ledger.balanced', rows: [`ledger_transactions:${r.id}`], detail: `transaction ${r.id} has no entries` })),
  ];
}

/** Net balance per ledger account whose name starts with `prefix`, per currency (read-only). */
export async function ledgerBalancesWithPrefix(db: Db, prefix: string): Promise<{ account: string; currency: string; balance: number }[]> {
  const rows = await db('ledger_entries').select('account', 'currency').sum({ balance: 'amount' }).where('account', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`).groupBy('account', 'currency');
  return (rows as unknown as { account: string; currency: string; balance: string }[]).map((r) => ({ account: r.account, currency: r.currency, balance: Number(r.balance) }));
}
