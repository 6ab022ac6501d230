import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Histogram } from 'prom-client';
import type { AppEnv } from '../app-types';
import type { Logger } from '../../platform/logger';

/** Gives each request an id (from X-Request-Id when sane), a child logger, and an access log line. */
export function requestContext(logger: Logger, latency: Histogram<'method' | 'route' | 'status'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('logger', log);
    const started = performance.now();
    await next();
    try {
      // On the answer itself: c.header() after the handler copies the whole response first.
      c.res.headers.set('X-Request-Id', requestId);
    } catch {
      c.header('X-Request-Id', requestId); // immutable headers (a proxied fetch answer): copied
    }
    const ms = performance.now() - started;
    const route = c.req.routePath || 'unmatched';
    latency.labels(c.req.method, route, String(c.res.status)).observe(ms / 1000);
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(ms * 10) / 10, accountId: c.get('principal')?.accountId }, 'request');
  };
}
