import { createRoute, z } from '@hono/zod-openapi';
import type { AppOpenAPI } from '../app-types';
import type { CoreDeps } from '../../platform/deps';
import { isDbReachable } from '../../platform/db';
import { isTemporalReachable } from '../../platform/temporal';

export type ReadinessCheck = () => Promise<boolean>;

const Checks = z.record(z.string(), z.enum(['ok', 'unreachable'])).openapi({ description: 'Each dependency by name.' });

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness: the process answers',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }).openapi('Health') } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'Readiness: PostgreSQL, Temporal and every registered dependency answer',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: z.object({ status: z.literal('ready'), checks: Checks }).openapi('Readiness') } } },
    503: {
      description: 'Not ready: the problem names what is unreachable',
      content: {
        'application/problem+json': {
          schema: z.object({ type: z.string(), title: z.string(), status: z.literal(503), detail: z.string(), checks: Checks }).openapi('NotReady'),
        },
      },
    },
  },
});

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['operations'],
  summary: 'Prometheus metrics of the API process (text exposition format)',
  responses: { 200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } } },
});

/**
 * /healthz: the process is alive. /readyz: every dependency answers (PostgreSQL, Temporal,
 * plus what capabilities register, e.g. the payment provider); 503 names what does not.
 */
export function registerHealthRoutes(app: AppOpenAPI, deps: CoreDeps, extraChecks: Record<string, ReadinessCheck> = {}): void {
  app.openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(readyz, async (c) => {
    const checks: Record<string, ReadinessCheck> = {
      postgres: () => isDbReachable(deps.db),
      temporal: () => isTemporalReachable(deps.temporal),
      ...extraChecks,
    };
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((n) => checks[n]().catch(() => false)));
    const status = Object.fromEntries(names.map((n, i) => [n, results[i] ? ('ok' as const) : ('unreachable' as const)]));
    const down = names.filter((_, i) => !results[i]);
    if (down.length === 0) return c.json({ status: 'ready' as const, checks: status }, 200);
    return new Response(
      JSON.stringify({ type: 'https://limelight.dev/problems/not-ready', title: 'Service Unavailable', status: 503, detail: `Not ready: ${down.join(', ')} unreachable.`, checks: status }),
      { status: 503, headers: { 'Content-Type': 'application/problem+json' } },
    ) as never;
  });
  app.openapi(metrics, async (c) => c.body(await deps.metrics.metrics(), 200, { 'Content-Type': deps.metrics.contentType }) as never);
}
