import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-types';
import { problems } from '../problem';

/**
 * Every 416 leaves as a problem document naming `Range`, whichever route served the file: a route
 * that answers a bare 416 (Content-Range only, an empty body typed as the file) is completed here,
 * keeping its Content-Range. Routes should throw problems.rangeNotSatisfiable(size) themselves.
 */
export const rangeNotSatisfiableAsProblem: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.res.status !== 416 || (c.res.headers.get('content-type') ?? '').startsWith('application/problem+json')) return;
  const size = Number(/\*\/(\d+)/.exec(c.res.headers.get('content-range') ?? '')?.[1] ?? NaN);
  const problem = problems.rangeNotSatisfiable(Number.isFinite(size) ? size : 0);
  const body = JSON.stringify({
    type: 'https://limelight.dev/problems/range-not-satisfiable',
    title: 'Range Not Satisfiable',
    status: 416,
    detail: problem.message,
    instance: c.req.path,
    errors: problem.errors,
    ...(Number.isFinite(size) ? { size } : {}),
  });
  const contentRange = c.res.headers.get('content-range') ?? 'bytes */*';
  await c.res.body?.cancel().catch(() => undefined);
  // Dropped first: Hono would carry the file's headers (its length, say) over to the problem.
  c.res = undefined;
  c.res = new Response(body, { status: 416, headers: { 'Content-Type': 'application/problem+json', 'Content-Range': contentRange, 'Accept-Ranges': 'bytes' } });
};
