import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
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
  const logger = c.get('logger');
  logger?.error({ err: error }, 'unhandled error');
  return problemResponse(c, 500, 'internal', 'Something went wrong on our side; it has been logged.');
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) => problemResponse(c, 404, 'not-found', `No route for ${c.req.method} ${c.req.path}.`);
