import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-types';
import { problemResponse } from '../problem';

/**
 * Bounds a request body at `max` bytes WITHOUT reading it: a declared Content-Length over the limit
 * is answered 413 at once; a chunked body is wrapped so that whoever reads it later (after
 * authentication) gets at most `max` bytes, and the answer becomes a 413. Hono's bodyLimit would
 * buffer a chunked body before the next middleware, i.e. before authentication.
 */
export function lazyBodyLimit(max: number): MiddlewareHandler<AppEnv> {
  const tooLarge = (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => problemResponse(c, 413, 'body-too-large', `The request body is larger than ${max} bytes.`);
  return async (c, next) => {
    const raw = c.req.raw;
    // Headers only: touching `raw.body` makes the Node adapter build a whole web Request and stream
    // for every request (a tenth of a vote's cost); the body is then read by its fast path.
    if (!raw.headers.has('transfer-encoding')) {
      // Without chunking, a body is Content-Length bytes (none without the header), and the HTTP
      // parser delivers no more: checking the number is enough.
      const declared = raw.headers.get('content-length');
      if (declared !== null && Number(declared) > max) return tooLarge(c);
      return next();
    }
    if (!raw.body) return next();
    let size = 0;
    let exceeded = false;
    const limited = raw.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          if (size > max) {
            exceeded = true;
            controller.error(new Error(`request body over ${max} bytes`));
            return;
          }
          controller.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(raw, { body: limited, duplex: 'half' } as RequestInit);
    try {
      await next();
    } catch (error) {
      if (exceeded) {
        c.res = tooLarge(c);
        return;
      }
      throw error;
    }
    // The reader saw a broken stream (and may have answered 400 "malformed JSON"): the truth is 413.
    if (exceeded) c.res = tooLarge(c);
  };
}
