import type { MiddlewareHandler } from 'hono';

/**
 * For routes whose JSON body is optional: a request that says `Content-Type: application/json`
 * but sends nothing (or only whitespace) means "no body", as if the header were absent. Without
 * this the validator tries to parse the empty text and answers 400.
 */
export const emptyJsonBodyIsAbsent: MiddlewareHandler = async (c, next) => {
  if ((c.req.header('content-type') ?? '').includes('json') && (await c.req.text()).trim() === '') {
    c.req.bodyCache.json = {};
  }
  await next();
};
