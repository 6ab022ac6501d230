import type { MoneyViolation } from '../../domain/operations/invariants';
import type { Db } from '../../platform/db';

/**
 * Read-only: every delivered order (and every completed refund) is counted by exactly one payout
 * once its month is frozen and a later month has been frozen too (until then a late arrival waits
 * to be carried as an adjustment); an item counts only orders that were delivered and refunds that
 * succeeded; each frozen payout's amount due is gross − fee − refunds + adjustments, and its items
 * add up to that.
 */
export async function payoutViolations(db: Db): Promise<MoneyViolation[]> {
  const violations: MoneyViolation[] = [];
  const unpaid = await db.raw(`
    select 'delivery' as kind, o.id from shoutout_orders o
    where o.delivered_at is not null
      and not exists (select 1 from shoutout_payout_items i where i.kind = 'delivery' and i.ref_id = o.id)
      and exists (select 1 from shoutout_payout_months m where m.month > to_char(o.delivered_at at time zone 'UTC', 'YYYY-MM'))
      and to_char(o.delivered_at at time zone 'UTC', 'YYYY-MM') in (select month from shoutout_payout_months)
    union all
    select 'refund', r.id from shoutout_refunds r
    where r.status = 'succeeded'
      and not exists (select 1 from shoutout_payout_items i where i.kind = 'refund' and i.ref_id = r.id)
      and exists (select 1 from shoutout_payout_months m where m.month > to_char(r.completed_at at time zone 'UTC', 'YYYY-MM'))
      and to_char(r.completed_at at time zone 'UTC', 'YYYY-MM') in (select month from shoutout_payout_months)`);
  for (const r of unpaid.rows as { kind: string; id: string }[]) {
    violations.push({ invariant: 'payouts.exactly-once', rows: [`${r.kind === 'delivery' ? 'shoutout_orders' : 'shoutout_refunds'}:${r.id}`], detail: `${r.kind} ${r.id} landed in a frozen month and is in no payout, though a later month was frozen` });
  }
  const orphans = await db.raw(`
    select i.kind, i.ref_id, i.payout_id from shoutout_payout_items i
    where (i.kind = 'delivery' and not exists (select 1 from shoutout_orders o where o.id = i.ref_id and o.delivered_at is not null))
       or (i.kind = 'refund' and not exists (select 1 from shoutout_refunds r where r.id = i.ref_id and r.status = 'succeeded'))`);
  for (const r of orphans.rows as { kind: string; ref_id: string; payout_id: string }[]) {
    violations.push({ invariant: 'payouts.exactly-once', rows: [`shoutout_payouts:${r.payout_id}`, `${r.kind}:${r.ref_id}`], detail: `payout ${r.payout_id} counts ${r.kind} ${r.ref_id}, which is not a delivered order or a succeeded refund` });
  }
  const sums = await db.raw(`
    select p.id, p.amount_due, p.gross - p.platform_fee - p.refunds + p.adjustments as formula, coalesce(sum(i.amount), 0) as items, count(i.ref_id) as n
    from shoutout_payouts p left join shoutout_payout_items i on i.payout_id = p.id
    group by p.id
    having p.amount_due <> p.gross - p.platform_fee - p.refunds + p.adjustments or (count(i.ref_id) > 0 and coalesce(sum(i.amount), 0) <> p.amount_due)`);
  for (const r of sums.rows as { id: string; amount_due: string; formula: string; items: string }[]) {
    violations.push({ invariant: 'payouts.amount-due', rows: [`shoutout_payouts:${r.id}`], detail: `payout ${r.id} is due ${r.amount_due}, its figures say ${r.formula} and its items ${r.items}` });
  }
  return violations;
}
