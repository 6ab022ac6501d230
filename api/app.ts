import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { Histogram } from 'prom-client';
import type { CoreDeps } from '../platform/deps';
import type { AppEnv, AppOpenAPI } from './app-types';
import { requestContext } from './middleware/request-context';
import { onError, onNotFound } from './middleware/errors';
import { idempotency } from './middleware/idempotency';
import { fieldErrors, ProblemError } from './problem';
import { registerDocsRoutes } from './routes/docs';
import { registerHealthRoutes, type ReadinessCheck } from './routes/health';
import { registerPingRoutes } from './routes/ping';
import { registerAccountsRoutes } from './routes/accounts';
import { registerPaymentsRoutes } from './routes/payments';
import { registerShoutoutsRoutes } from './routes/shoutouts';
import { registerBillingRoutes } from './routes/billing';
import { registerStarkbankRoutes } from './routes/starkbank';
import { registerSplitsRoutes } from './routes/splits';
import { registerSessionRoutes } from './routes/session';
import { registerAdminDashboardRoutes } from './routes/admin-dashboard';
import { registerAdminConsoleRoutes } from './routes/admin-console';
import { registerWebRoutes } from './routes/web';

export interface AppOptions {
  /** Readiness checks beyond PostgreSQL and Temporal. */
  readiness?: Record<string, ReadinessCheck>;
}

/** The whole HTTP API; the process entrypoint (api/main.ts) or a test serves it. */
export function createApp(deps: CoreDeps, options: AppOptions = {}): AppOpenAPI {
  const app = new OpenAPIHono<AppEnv>({
    // Schema violations (wrong types, missing fields) → 400 naming every bad field.
    defaultHook: (result) => {
      if (!result.success) throw new ProblemError(400, 'invalid-request', 'The request is not valid.', fieldErrors(result.error));
    },
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [deps.metrics],
  });

  app.onError(onError);
  app.notFound(onNotFound);
  app.use('*', requestContext(deps.logger, latency));
  app.use('*', secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'blob:'], styleSrc: ["'self'", "'unsafe-inline'"], mediaSrc: ["'self'", 'blob:'] } }));
  app.use('*', async (c, next) => {
    // Video uploads stream to storage under their own limit (UPLOAD_MAX_BYTES); everything else is bounded here.
    if (c.req.method === 'POST' && /^\/v1\/shoutouts\/[^/]+\/video$/.test(c.req.path)) return next();
    return bodyLimit({
      maxSize: deps.config.BODY_LIMIT_BYTES,
      onError: () => {
        throw new ProblemError(413, 'body-too-large', `The request body is larger than ${deps.config.BODY_LIMIT_BYTES} bytes.`);
      },
    })(c, next);
  });
  app.use('/v1/*', idempotency({ db: deps.db, jwtSecret: deps.config.JWT_SECRET, ttlHours: deps.config.IDEMPOTENCY_TTL_HOURS }));

  registerHealthRoutes(app, deps, { payments: () => deps.ports.payments.ping().then(() => true), ...options.readiness });
  registerDocsRoutes(app);
  registerPingRoutes(app, deps);
  registerAccountsRoutes(app, deps);
  registerPaymentsRoutes(app, deps);
  registerShoutoutsRoutes(app, deps);
  registerBillingRoutes(app, deps);
  registerStarkbankRoutes(app, deps);
  registerSplitsRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerAdminDashboardRoutes(app, deps);
  registerAdminConsoleRoutes(app, deps);
  registerWebRoutes(app, deps); // last: the web app answers only what no route above did
  return app;
}
