import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { Histogram } from 'prom-client';
import { CAPABILITIES, type ApiLifecycle, type Capability } from '../capabilities';
import type { CoreDeps } from '../platform/deps';
import type { AppEnv, AppOpenAPI } from './app-types';
import { requestContext } from './middleware/request-context';
import { onError, onNotFound } from './middleware/errors';
import { idempotency } from './middleware/idempotency';
import { fieldErrors, ProblemError } from './problem';
import { registerDocsRoutes } from './routes/docs';
import { registerHealthRoutes, type ReadinessCheck } from './routes/health';

export interface AppOptions {
  /** Readiness checks beyond PostgreSQL and Temporal. */
  readiness?: Record<string, ReadinessCheck>;
  /** The capabilities to serve (default: all of capabilities/index.ts). */
  capabilities?: readonly Capability[];
  /** Where routes register what must stop with the API (background loops); startApi passes its own. */
  lifecycle?: ApiLifecycle;
}

/** The whole HTTP API; the process entrypoint (api/main.ts) or a test serves it. */
export function createApp(deps: CoreDeps, options: AppOptions = {}): AppOpenAPI {
  const capabilities = options.capabilities ?? CAPABILITIES;
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
  app.use('*', bodyLimits(deps, capabilities));
  app.use('/v1/*', idempotency({ db: deps.db, jwtSecret: deps.config.JWT_SECRET, ttlHours: deps.config.IDEMPOTENCY_TTL_HOURS }));

  registerHealthRoutes(app, deps, { payments: () => deps.ports.payments.ping().then(() => true), ...options.readiness });
  registerDocsRoutes(app);
  const lifecycle = options.lifecycle ?? { onClose: () => undefined };
  for (const capability of capabilities) capability.routes?.(app, deps, lifecycle);
  return app;
}

/**
 * Bounds every request body by BODY_LIMIT_BYTES, except where a route declares its own limit
 * (capability `bodyLimits`): a streamed upload bounds itself while it reads.
 */
function bodyLimits(deps: CoreDeps, capabilities: readonly Capability[]): MiddlewareHandler<AppEnv> {
  const tooLarge = (max: number) => () => {
    throw new ProblemError(413, 'body-too-large', `The request body is larger than ${max} bytes.`);
  };
  const limiter = (max: number) => bodyLimit({ maxSize: max, onError: tooLarge(max) });
  const declared = capabilities.flatMap((capability) => capability.bodyLimits ?? []).map((limit) => ({
    method: limit.method.toUpperCase(),
    // `/v1/shoutouts/{id}/video` → one path segment per parameter.
    path: new RegExp(`^${limit.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    handler: limit.limit === 'streamed' ? undefined : limiter(limit.limit(deps.config)),
  }));
  const byDefault = limiter(deps.config.BODY_LIMIT_BYTES);
  return async (c, next) => {
    const own = declared.find((limit) => limit.method === c.req.method && limit.path.test(c.req.path));
    if (!own) return byDefault(c, next);
    return own.handler ? own.handler(c, next) : next();
  };
}
