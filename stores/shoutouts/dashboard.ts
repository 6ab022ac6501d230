import type { Db } from '../../platform/db';

/** Admin dashboard: orders placed since a day, by their status now (the funnel). */
export async function orderFunnel(db: Db, since: Date): Promise<{ status: string; count: number }[]> {
  const result = await db.raw(`select status, count(*) as n from shoutout_orders where created_at >= ? group by 1`, [since]);
  return result.rows.map((r: { status: string; n: unknown }) => ({ status: r.status, count: Number(r.n ?? 0) }));
}
