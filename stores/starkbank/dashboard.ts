import type { Db } from '../../platform/db';

type Figure = { count: number; amount: number };

/** Admin dashboard: invoices issued and credited, and transfers sent, since a day. */
export async function starkbankFigures(db: Db, since: Date): Promise<{ issued: Figure; credited: Figure; transferred: Figure }> {
  const [invoices, transfers] = await Promise.all([
    db.raw(`select count(*) as n, coalesce(sum(amount), 0) as amount, count(*) filter (where credited_at is not null) as credited,
                   coalesce(sum(amount) filter (where credited_at is not null), 0) as credited_amount from starkbank_invoices where created_at >= ?`, [since]),
    db.raw(`select count(*) as n, coalesce(sum(amount), 0) as amount from starkbank_transfers where id is not null and status not in ('failed', 'refused', 'canceled') and created_at >= ?`, [since]),
  ]);
  const inv = invoices.rows[0] ?? {};
  const tr = transfers.rows[0] ?? {};
  return {
    issued: { count: Number(inv.n ?? 0), amount: Number(inv.amount ?? 0) },
    credited: { count: Number(inv.credited ?? 0), amount: Number(inv.credited_amount ?? 0) },
    transferred: { count: Number(tr.n ?? 0), amount: Number(tr.amount ?? 0) },
  };
}
