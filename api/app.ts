import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { Histogram } from 'prom-client';
import { CAPABILITIES, type ApiLifecycle, type Capability } from '../capabilities';
import type { CoreDeps } from '../platform/deps';
import type { AppEnv, AppOpenAPI } from './app-types';
import { requestContext } from './middleware/request-context';
import { anyThrownValue, onError, onNotFound } from './middleware/errors';
import { reportingServerErrors } from './middleware/error-reporting';
import { lazyBodyLimit } from './middleware/body-limit';
import { rangeNotSatisfiableAsProblem } from './middleware/range-problem';
import { idempotency } from './middleware/idempotency';
import { rejectUnsafeText, unsafeTextIn, unsafeTextProblem } from './middleware/text-guard';
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
  /** Outermost middleware, given the app (tests: the response guard that checks every answer against /openapi.json). */
  outermost?: (app: AppOpenAPI) => MiddlewareHandler<AppEnv>;
}

/** The whole HTTP API; the process entrypoint (api/main.ts) or a test serves it. */
export function createApp(deps: CoreDeps, options: AppOptions = {}): AppOpenAPI {
  const capabilities = options.capabilities ?? CAPABILITIES;
  const app = new OpenAPIHono<AppEnv>({
    // Schema violations (wrong types, missing fields) → 400 naming every bad field; so is text
    // PostgreSQL cannot store (NUL, lone surrogates), checked here: after authentication, within the body limit.
    defaultHook: (result) => {
      if (!result.success) throw new ProblemError(400, 'invalid-request', 'The request is not valid.', fieldErrors(result.error));
      const unsafe = unsafeTextIn(result.data);
      if (unsafe) throw unsafeTextProblem(unsafe);
    },
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [deps.metrics],
  });

  const errorHandler = reportingServerErrors(onError, deps.errors);
  app.onError(errorHandler);
  app.notFound(onNotFound);
  if (options.outermost) app.use('*', options.outermost(app));
  app.use('*', anyThrownValue(errorHandler));
  app.use('*', requestContext(deps.logger, latency));
  app.use('*', secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'blob:'], styleSrc: ["'self'", "'unsafe-inline'"], mediaSrc: ["'self'", 'blob:'] } }));
  app.use('*', rangeNotSatisfiableAsProblem);
  app.use('*', rejectUnsafeText(() => documentedPaths(app)));
  app.use('*', bodyLimits(deps, capabilities));
  app.use('/v1/*', idempotency({ db: deps.db, jwtSecret: deps.config.JWT_SECRET, ttlHours: deps.config.IDEMPOTENCY_TTL_HOURS }));

  registerHealthRoutes(app, deps, { payments: () => deps.ports.payments.ping().then(() => true), ...options.readiness });
  registerDocsRoutes(app);
  const lifecycle = options.lifecycle ?? { onClose: () => undefined };
  for (const capability of capabilities) capability.routes?.(app, deps, lifecycle);
  return app;
}

/** The documented route templates (`/v1/products/{id}`), to name a bad path segment by its parameter. */
function documentedPaths(app: AppOpenAPI): string[] {
  return app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [d.route.path] : []));
}

/**
 * Bounds every request body by BODY_LIMIT_BYTES, except where a route declares its own limit
 * (capability `bodyLimits`): a streamed upload bounds itself while it reads. A streamed route
 * only streams multipart: any other body there gets the default limit (it will be refused anyway).
 */
function bodyLimits(deps: CoreDeps, capabilities: readonly Capability[]): MiddlewareHandler<AppEnv> {
  // Lazy: nothing is read here, so authentication still comes before any byte of the body.
  const limiter = (max: number) => lazyBodyLimit(max);
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
    if (own.handler) return own.handler(c, next);
    return (c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/') ? next() : byDefault(c, next);
  };
}
