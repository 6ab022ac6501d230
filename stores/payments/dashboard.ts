import type { Db } from '../../platform/db';

/** Admin dashboard figures of payments since a day: captured and refunded per day and currency (minor units), renewal failures. */
export async function capturedByDay(db: Db, since: Date): Promise<{ day: string; currency: string; amount: string }[]> {
  const result = await db.raw(`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, currency, sum(amount_captured) as amount from payments where created_at >= ? and amount_captured > 0 group by 1, 2`, [since]);
  return result.rows;
}

export async function refundedByDay(db: Db, since: Date): Promise<{ day: string; currency: string; amount: string }[]> {
  const result = await db.raw(`select to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD') as day, currency, sum(amount_refunded) as amount from payments where updated_at >= ? and amount_refunded > 0 group by 1, 2`, [since]);
  return result.rows;
}

export async function renewalFailures(db: Db, since: Date): Promise<number> {
  const result = await db.raw(`select count(*) as n from payments where kind = 'subscription' and status = 'failed' and created_at >= ?`, [since]);
  return Number(result.rows[0]?.n ?? 0);
}
