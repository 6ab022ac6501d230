import { createRoute, z } from '@hono/zod-openapi';
import type { CoreDeps } from '../../platform/deps';
import { billedPerInterval, subscriptionCounts } from '../../stores/billing/dashboard';
import { capturedByDay, refundedByDay, renewalFailures } from '../../stores/payments/dashboard';
import { orderFunnel } from '../../stores/shoutouts/dashboard';
import { splitVolume } from '../../stores/splits/dashboard';
import { starkbankFigures } from '../../stores/starkbank/dashboard';
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

    const [captured, refunded, subs, mrrRows, failures, funnel, splits, starkbank] = await Promise.all([
      capturedByDay(db, since),
      refundedByDay(db, since),
      subscriptionCounts(db),
      billedPerInterval(db),
      renewalFailures(db, since),
      orderFunnel(db, since),
      splitVolume(db, since),
      starkbankFigures(db, since),
    ]);

    const revenue = new Map<string, { day: string; currency: string; captured: number; refunded: number }>();
    const entry = (day: string, currency: string) => {
      const key = `${day}/${currency}`;
      if (!revenue.has(key)) revenue.set(key, { day, currency, captured: 0, refunded: 0 });
      return revenue.get(key)!;
    };
    for (const r of captured) entry(r.day, r.currency).captured += n(r.amount);
    for (const r of refunded) entry(r.day, r.currency).refunded += n(r.amount);

    const mrr = new Map<string, number>();
    for (const r of mrrRows) {
      const period = (SECONDS[r.interval] ?? SECONDS.month) * Math.max(1, n(r.interval_count));
      mrr.set(r.currency, (mrr.get(r.currency) ?? 0) + Math.round((n(r.amount) * SECONDS.month) / period));
    }
    return c.json(
      {
        days,
        since: since.toISOString(),
        revenue: [...revenue.values()].sort((a, b) => a.day.localeCompare(b.day) || a.currency.localeCompare(b.currency)),
        subscriptions: {
          ...subs,
          mrr: [...mrr].map(([currency, amount]) => ({ currency, amount })),
          renewalFailures: failures,
        },
        shoutouts: funnel,
        splits,
        starkbank,
      },
      200,
    );
  });
}
