import { Gauge } from 'prom-client';
import { countLiveSubscriptionsByPlan } from '../../stores/billing/subscriptions';
import type { CoreDeps } from '../deps';
import { once } from './business';

/**
 * Gauges read from PostgreSQL when /metrics is scraped (a count, not an event): the same figure
 * from the API and the worker, whichever Prometheus asks.
 */
export function registerStateGauges(deps: Pick<CoreDeps, 'db' | 'metrics' | 'logger'>): void {
  const { db, metrics, logger } = deps;
  once(metrics, 'subscriptions_active', () => new Gauge({
    name: 'subscriptions_active',
    help: 'Subscriptions granting their plan now, by plan and status (trialing, active, past_due)',
    labelNames: ['plan', 'status'] as const,
    registers: [metrics],
    async collect() {
      try {
        const rows = await countLiveSubscriptionsByPlan(db);
        this.reset();
        for (const r of rows) this.set({ plan: r.planId, status: r.status }, r.count);
      } catch (error) {
        logger.warn({ err: error }, 'subscriptions_active gauge: query failed');
      }
    },
  }));
}
