import type { MoneyViolation } from '../../domain/operations/invariants';
import type { Db } from '../../platform/db';

export interface SandboxAccountMoney {
  accountId: string;
  currency: string;
  /** Transfers in, less what was reversed: what the platform has moved to this account. */
  netTransferred: number;
  available: number;
  paidOut: number;
}

/** Read-only: what the sandbox provider holds per connected account and currency. */
export async function sandboxAccountMoney(db: Db): Promise<SandboxAccountMoney[]> {
  const result = await db.raw(`
    with t as (select destination as account_id, currency, sum(amount - amount_reversed) as net from sandbox_transfers group by 1, 2),
         p as (select account_id, currency, sum(amount) as paid from sandbox_payouts group by 1, 2),
         keys as (select account_id, currency from sandbox_balances union select account_id, currency from t union select account_id, currency from p)
    select k.account_id, k.currency, coalesce(t.net, 0) as net, coalesce(b.available, 0) as available, coalesce(p.paid, 0) as paid
    from keys k
    left join t on t.account_id = k.account_id and t.currency = k.currency
    left join p on p.account_id = k.account_id and p.currency = k.currency
    left join sandbox_balances b on b.account_id = k.account_id and b.currency = k.currency`);
  return (result.rows as { account_id: string; currency: string; net: string; available: string; paid: string }[]).map((r) => ({
    accountId: r.account_id,
    currency: r.currency,
    netTransferred: Number(r.net),
    available: Number(r.available),
    paidOut: Number(r.paid),
  }));
}

/** The sandbox's own books: an account's available balance is what came in, less reversals and payouts. */
export function sandboxBookViolations(accounts: SandboxAccountMoney[]): MoneyViolation[] {
  return accounts
    .filter((a) => a.available !== a.netTransferred - a.paidOut)
    .map((a) => ({
      invariant: 'sandbox.balance',
      rows: [`sandbox_balances:${a.accountId}/${a.currency}`],
      detail: `sandbox account ${a.accountId} has ${a.available} ${a.currency} available, but received ${a.netTransferred} net and paid out ${a.paidOut}`,
    }));
}
