import type { ErrorHandler } from 'hono';
import type { ErrorReporter } from '../../platform/sentry';
import type { AppEnv } from '../app-types';

/**
 * Wraps the problem error handler: an error that leaves as a 5xx goes to Sentry, tagged with the
 * request id, route and account, so operators see API failures beside workflow failures.
 */
export function reportingServerErrors(handler: ErrorHandler<AppEnv>, errors: ErrorReporter): ErrorHandler<AppEnv> {
  return async (error, c) => {
    const response = await handler(error, c);
    if (response.status >= 500 && errors.enabled) {
      errors.captureException(error, {
        level: response.status === 503 ? 'warning' : 'error',
        tags: { request_id: c.get('requestId'), route: `${c.req.method} ${c.req.routePath || c.req.path}`, status: response.status, account_id: c.get('principal')?.accountId },
        extra: { path: c.req.path },
      });
    }
    return response;
  };
}
