import type { ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { isDatabaseUnavailable } from '../../platform/db';
import { InvalidCursorError } from '../../stores/pagination';
import type { AppEnv } from '../app-types';
import { fieldErrors, ProblemError, problemResponse } from '../problem';

/** Every error leaves as application/problem+json; unexpected ones are logged and answered 500 without internals. */
export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof ProblemError) {
    return problemResponse(c, error.status, error.type, error.message, error.errors, error.extensions, error.headers);
  }
  if (error instanceof InvalidCursorError) {
    return problemResponse(c, 400, 'invalid-request', 'The cursor is not valid.', [{ field: 'cursor', message: error.message }]);
  }
  if (error instanceof ZodError) {
    return problemResponse(c, 400, 'invalid-request', 'The request is not valid.', fieldErrors(error));
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 413) return problemResponse(c, 413, 'body-too-large', 'The request body is larger than this endpoint accepts.');
    if (status === 400 && /JSON/i.test(error.message)) return problemResponse(c, 400, 'malformed-json', 'The request body is not valid JSON.');
    if (status === 415) {
      const type = c.req.header('content-type');
      return problemResponse(c, 415, 'unsupported-media-type', `${type ? `Content-Type ${type} is` : 'A body without Content-Type is'} not accepted here; send application/json.`);
    }
    return problemResponse(c, status, 'http-error', error.message);
  }
  if (error instanceof SyntaxError) return problemResponse(c, 400, 'malformed-json', 'The request body is not valid JSON.');
  const rejected = rejectedData(error);
  if (rejected) {
    // A safety net, not the fix: the route should have refused the value itself (its store's cursor, say).
    c.get('logger')?.warn({ err: error }, 'PostgreSQL rejected a value from the request');
    const field = c.req.query('cursor') !== undefined ? 'cursor' : '(request)';
    return problemResponse(c, 400, 'invalid-request', 'A value in the request is not acceptable.', [{ field, message: rejected }]);
  }
  if (isDatabaseUnavailable(error)) {
    // PostgreSQL restarting or out of reach: the request may be retried (a 500 would say it never can).
    c.get('logger')?.warn({ err: error }, 'database unavailable');
    return problemResponse(c, 503, 'unavailable', 'The database is unavailable; try again in a moment.', undefined, undefined, { 'Retry-After': '1' });
  }
  const logger = c.get('logger');
  logger?.error({ err: error }, 'unhandled error');
  return problemResponse(c, 500, 'internal', 'Something went wrong on our side; it has been logged.');
};

/**
 * Hono hands only `instanceof Error` values to onError and rethrows anything else, which the Node
 * adapter answers with an empty 500: a thrown string, or a Node core error (a refused connection)
 * seen from another realm (a test sandbox). Outermost of ours, this gives those the same answer.
 */
export function anyThrownValue(handler: ErrorHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    try {
      await next();
    } catch (thrown) {
      if (thrown instanceof Error) throw thrown;
      // Its own fields (a code, say) kept, so onError classifies it as it would the Error.
      const error = new Error(String((thrown as { message?: unknown } | null)?.message ?? thrown));
      c.res = await handler(thrown !== null && typeof thrown === 'object' ? Object.assign(error, thrown) : error, c);
    }
  };
}

export const onNotFound: NotFoundHandler<AppEnv> = (c) => problemResponse(c, 404, 'not-found', `No route for ${c.req.method} ${c.req.path}.`);

/**
 * PostgreSQL's "data exception" class (SQLSTATE 22xxx: a timestamp out of range, text that is not a
 * number, a NUL byte, an out-of-range integer) only ever comes from a value the client sent that
 * slipped past validation: it is that client's bad input (400), not our failure (500).
 */
function rejectedData(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^22[0-9A-Z]{3}$/.test(code)) return undefined;
  const messages: Record<string, string> = {
    '22007': 'is not a valid date or time',
    '22008': 'is a date or time out of range',
    '22003': 'is a number out of range',
    '22P02': 'has the wrong format',
    '22021': 'holds a character that cannot be stored',
    '22P05': 'holds a character that cannot be stored',
  };
  return messages[code] ?? 'is not acceptable';
}
