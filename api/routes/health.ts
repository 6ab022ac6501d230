import type { AppOpenAPI } from '../app-types';
import type { CoreDeps } from '../../platform/deps';
import { isDbReachable } from '../../platform/db';
import { isTemporalReachable } from '../../platform/temporal';

export type ReadinessCheck = () => Promise<boolean>;

/**
 * /healthz: the process is alive. /readyz: every dependency answers (PostgreSQL, Temporal,
 * plus what capabilities register, e.g. the payment provider); 503 names what does not.
 */
export function registerHealthRoutes(app: AppOpenAPI, deps: CoreDeps, extraChecks: Record<string, ReadinessCheck> = {}): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks: Record<string, ReadinessCheck> = {
      postgres: () => isDbReachable(deps.db),
      temporal: () => isTemporalReachable(deps.temporal),
      ...extraChecks,
    };
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((n) => checks[n]().catch(() => false)));
    const status = Object.fromEntries(names.map((n, i) => [n, results[i] ? 'ok' : 'unreachable']));
    const down = names.filter((_, i) => !results[i]);
    if (down.length === 0) return c.json({ status: 'ready', checks: status });
    return new Response(
      JSON.stringify({ type: 'https://limelight.dev/problems/not-ready', title: 'Service Unavailable', status: 503, detail: `Not ready: ${down.join(', ')} unreachable.`, checks: status }),
      { status: 503, headers: { 'Content-Type': 'application/problem+json' } },
    );
  });
  app.get('/metrics', async (c) => c.text(await deps.metrics.metrics(), 200, { 'Content-Type': deps.metrics.contentType }));
}
