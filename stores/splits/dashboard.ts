import type { Db } from '../../platform/db';

/** Admin dashboard: split payments since a day, by currency and status. */
export async function splitVolume(db: Db, since: Date): Promise<{ currency: string; status: string; count: number; amount: number }[]> {
  const result = await db.raw(`select currency, status, count(*) as n, sum(total_amount) as amount from split_payments where created_at >= ? group by 1, 2`, [since]);
  return result.rows.map((r: { currency: string; status: string; n: unknown; amount: unknown }) => ({ currency: r.currency, status: r.status, count: Number(r.n ?? 0), amount: Number(r.amount ?? 0) }));
}
