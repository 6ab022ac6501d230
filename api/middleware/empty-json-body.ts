import type { MiddlewareHandler } from 'hono';

/**
 * For routes whose JSON body is optional: a request that says `Content-Type: application/json`
 * but sends nothing (or only whitespace) means "no body", as if the header were absent. Without
 * this the validator tries to parse the empty text and answers 400.
 */
export const emptyJsonBodyIsAbsent: MiddlewareHandler = async (c, next) => {
  if ((c.req.header('content-type') ?? '').includes('json') && (await c.req.text()).trim() === '') {
    // Hono parses JSON from the cached text: an empty object stands in for the missing body.
    (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve('{}');
  }
  await next();
};
