import type { Db } from '../../platform/db';

/** Admin dashboard: live subscriptions by state, and what active ones bill per plan interval (for MRR). */
export async function subscriptionCounts(db: Db): Promise<{ active: number; pastDue: number; cancelAtPeriodEnd: number }> {
  const result = await db.raw(`select count(*) filter (where status in ('trialing','active','past_due')) as active, count(*) filter (where status = 'past_due') as past_due,
                 count(*) filter (where status in ('trialing','active','past_due') and cancel_at_period_end) as cancel_at_end from subscriptions`);
  const row = result.rows[0] ?? {};
  return { active: Number(row.active ?? 0), pastDue: Number(row.past_due ?? 0), cancelAtPeriodEnd: Number(row.cancel_at_end ?? 0) };
}

export async function billedPerInterval(db: Db): Promise<{ currency: string; interval: string; interval_count: number; amount: string }[]> {
  const result = await db.raw(`select s.currency, p.interval, p.interval_count, sum(s.price_amount) as amount from subscriptions s join products p on p.id = s.plan_id
          where s.status in ('active','past_due') group by 1, 2, 3`);
  return result.rows;
}
