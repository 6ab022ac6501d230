import { createRoute, z } from '@hono/zod-openapi';
import type { CoreDeps } from '../../platform/deps';
import type { AppOpenAPI } from '../app-types';
import { requireAuth, requireRole } from '../middleware/auth';
import { problemResponses } from '../schemas';

/**
 * GET /v1/admin/dashboard: the aggregates of the admin console's dashboard, read from PostgreSQL in
 * one round of grouped queries (no list is paged through by the client). Days are UTC calendar days.
 * Captured revenue counts on the day the payment was created; refunds on the day the payment last changed.
 */
const CurrencyAmount = z.object({ currency: z.string(), amount: z.number().int() });

const DashboardSchema = z
  .object({
    days: z.number().int(),
    since: z.string(),
    revenue: z.array(z.object({ day: z.string().openapi({ example: '2026-11-30' }), currency: z.string(), captured: z.number().int(), refunded: z.number().int() })),
    subscriptions: z.object({
      active: z.number().int().openapi({ description: 'trialing, active or past_due' }),
      pastDue: z.number().int(),
      cancelAtPeriodEnd: z.number().int(),
      mrr: z.array(CurrencyAmount).openapi({ description: 'Monthly recurring revenue of the active subscriptions, each plan normalised to 30 days.' }),
      renewalFailures: z.number().int().openapi({ description: 'Failed subscription payments in the window.' }),
    }),
    shoutouts: z.array(z.object({ status: z.string(), count: z.number().int() })).openapi({ description: 'Orders created in the window by current status (the funnel).' }),
    splits: z.array(z.object({ currency: z.string(), status: z.string(), count: z.number().int(), amount: z.number().int() })),
    starkbank: z.object({
      issued: z.object({ count: z.number().int(), amount: z.number().int() }),
      credited: z.object({ count: z.number().int(), amount: z.number().int() }),
      transferred: z.object({ count: z.number().int(), amount: z.number().int() }),
    }),
  })
  .openapi('AdminDashboard');

const SECONDS: Record<string, number> = { second: 1, day: 86_400, month: 2_592_000, year: 31_536_000 };

export function registerAdminDashboardRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db } = deps;
  const route = createRoute({
    method: 'get',
    path: '/v1/admin/dashboard',
    tags: ['admin'],
    summary: 'Dashboard aggregates: revenue per day and currency, MRR, dunning, the shoutout funnel, split volume, Stark Bank',
    security: [{ bearer: [] }],
    middleware: [requireAuth(deps.config.JWT_SECRET), requireRole('admin')] as const,
    request: { query: z.object({ days: z.coerce.number().int().min(1).max(366).default(30).openapi({ description: 'Window in days, ending today (UTC).' }) }) },
    responses: { 200: { description: 'The aggregates', content: { 'application/json': { schema: DashboardSchema } } }, ...problemResponses(400, 401, 403) },
  });

  app.openapi(route, async (c) => {
    const { days } = c.req.valid('query');
    const since = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - (days - 1)));
    const n = (v: unknown) => Number(v ?? 0);

    const [captured, refunded, subs, mrrRows, failures, funnel, splits, invoices, transfers] = await Promise.all([
      db.raw(`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, currency, sum(amount_captured) as amount from payments where created_at >= ? and amount_captured > 0 group by 1, 2`, [since]),
      db.raw(`select to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD') as day, currency, sum(amount_refunded) as amount from payments where updated_at >= ? and amount_refunded > 0 group by 1, 2`, [since]),
      db.raw(`select count(*) filter (where status in ('trialing','active','past_due')) as active, count(*) filter (where status = 'past_due') as past_due,
                     count(*) filter (where status in ('trialing','active','past_due') and cancel_at_period_end) as cancel_at_end from subscriptions`),
      db.raw(`select s.currency, p.interval, p.interval_count, sum(s.price_amount) as amount from subscriptions s join products p on p.id = s.plan_id
              where s.status in ('active','past_due') group by 1, 2, 3`),
      db.raw(`select count(*) as n from payments where kind = 'subscription' and status = 'failed' and created_at >= ?`, [since]),
      db.raw(`select status, count(*) as n from shoutout_orders where created_at >= ? group by 1`, [since]),
      db.raw(`select currency, status, count(*) as n, sum(total_amount) as amount from split_payments where created_at >= ? group by 1, 2`, [since]),
      db.raw(`select count(*) as n, coalesce(sum(amount), 0) as amount, count(*) filter (where credited_at is not null) as credited,
                     coalesce(sum(amount) filter (where credited_at is not null), 0) as credited_amount from starkbank_invoices where created_at >= ?`, [since]),
      db.raw(`select count(*) as n, coalesce(sum(amount), 0) as amount from starkbank_transfers where id is not null and status not in ('failed', 'refused', 'canceled') and created_at >= ?`, [since]),
    ]);

    const revenue = new Map<string, { day: string; currency: string; captured: number; refunded: number }>();
    const entry = (day: string, currency: string) => {
      const key = `${day}/${currency}`;
      if (!revenue.has(key)) revenue.set(key, { day, currency, captured: 0, refunded: 0 });
      return revenue.get(key)!;
    };
    for (const r of captured.rows) entry(r.day, r.currency).captured += n(r.amount);
    for (const r of refunded.rows) entry(r.day, r.currency).refunded += n(r.amount);

    const mrr = new Map<string, number>();
    for (const r of mrrRows.rows) {
      const period = (SECONDS[r.interval] ?? SECONDS.month) * Math.max(1, n(r.interval_count));
      mrr.set(r.currency, (mrr.get(r.currency) ?? 0) + Math.round((n(r.amount) * SECONDS.month) / period));
    }
    const s = subs.rows[0] ?? {};
    const inv = invoices.rows[0] ?? {};
    const tr = transfers.rows[0] ?? {};
    return c.json(
      {
        days,
        since: since.toISOString(),
        revenue: [...revenue.values()].sort((a, b) => a.day.localeCompare(b.day) || a.currency.localeCompare(b.currency)),
        subscriptions: {
          active: n(s.active),
          pastDue: n(s.past_due),
          cancelAtPeriodEnd: n(s.cancel_at_end),
          mrr: [...mrr].map(([currency, amount]) => ({ currency, amount })),
          renewalFailures: n(failures.rows[0]?.n),
        },
        shoutouts: funnel.rows.map((r: { status: string; n: unknown }) => ({ status: r.status, count: n(r.n) })),
        splits: splits.rows.map((r: { currency: string; status: string; n: unknown; amount: unknown }) => ({ currency: r.currency, status: r.status, count: n(r.n), amount: n(r.amount) })),
        starkbank: {
          issued: { count: n(inv.n), amount: n(inv.amount) },
          credited: { count: n(inv.credited), amount: n(inv.credited_amount) },
          transferred: { count: n(tr.n), amount: n(tr.amount) },
        },
      },
      200,
    );
  });
}
