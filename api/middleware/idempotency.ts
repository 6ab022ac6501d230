import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../../platform/db';
import { verifyAccessToken } from '../../platform/tokens';
import { claimIdempotencyKey, completeIdempotencyKey, findIdempotencyKey, releaseIdempotencyKey } from '../../stores/platform/idempotency-keys';
import type { AppEnv } from '../app-types';
import { problems } from '../problem';

const REPLAYED_HEADERS = ['content-type', 'location'];

export interface IdempotencyOptions {
  db: Db;
  jwtSecret: string;
  ttlHours: number;
  /** How long a duplicate waits for the first request to finish before answering 409. */
  waitMs?: number;
  /**
   * A request still `in_progress` after this long is taken to have died with its process (a crash
   * or a kill between the claim and the answer): the next request with the key runs instead of
   * waiting on it until the TTL. Far above any request's duration; default 5 minutes.
   */
  staleAfterMs?: number;
}

/**
 * `Idempotency-Key` for POSTs: the first request with a key runs; a retry with the same key and
 * body gets the first answer replayed (`Idempotent-Replayed: true`); the same key with another
 * body is a 422; a duplicate that races the first waits for it. Keys are scoped to the caller
 * (the verified token subject) and the route, and kept for IDEMPOTENCY_TTL_HOURS.
 * 5xx answers are not kept, so the client can retry them.
 *
 * Only authenticated requests are covered: the token is verified here, before a byte of the body
 * is read, so an anonymous caller can make the API read nothing (the route's own authentication
 * answers 401 first). The body it hashes is bounded by the route's limit (api/app.ts bodyLimits).
 */
export function idempotency(options: IdempotencyOptions): MiddlewareHandler<AppEnv> {
  const { db } = options;
  const waitMs = options.waitMs ?? 15_000;
  const staleAfterSeconds = Math.max(waitMs, options.staleAfterMs ?? 300_000) / 1000;
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    // Token answers are never stored or replayed: no plaintext tokens at rest, and a replayed refresh would defeat rotation.
    if (c.req.path.startsWith('/v1/auth/')) return next();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw problems.badRequest('Idempotency-Key must be 1–255 visible ASCII characters.', [{ field: 'Idempotency-Key', message: 'invalid format' }]);
    // Streams (uploads) are not replayable: they are idempotent by their own resource ids.
    if ((c.req.header('content-type') ?? '').startsWith('multipart/')) return next();
    const caller = await subject(c.req.header('authorization'), options.jwtSecret);
    if (!caller) return next();

    const body = await c.req.text();
    const requestHash = createHash('sha256').update(body).digest('hex');
    const scope = `${c.req.method} ${c.req.path} ${caller}`;

    const claimed = await claimIdempotencyKey(db, { scope, key, requestHash, ttlHours: options.ttlHours, staleAfterSeconds });
    if (!claimed) return replay(c, db, scope, key, requestHash, waitMs);

    try {
      await next();
    } catch (error) {
      await releaseIdempotencyKey(db, scope, key);
      throw error;
    }
    const res = c.res;
    if (res.status >= 500) {
      await releaseIdempotencyKey(db, scope, key);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = res.headers.get(name);
      if (value) headers[name] = value;
    }
    const text = await res.clone().text();
    await completeIdempotencyKey(db, scope, key, { status: res.status, headers, body: text });
  };
}

/** The verified token's subject; undefined for an anonymous caller or a bad token. */
async function subject(authorization: string | undefined, secret: string): Promise<string | undefined> {
  const token = authorization && /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (!token) return undefined;
  try {
    const claims = await verifyAccessToken(secret, token);
    return typeof claims.sub === 'string' && claims.sub.length <= 200 ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}

async function replay(c: Parameters<MiddlewareHandler<AppEnv>>[0], db: Db, scope: string, key: string, requestHash: string, waitMs: number): Promise<Response> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const row = await findIdempotencyKey(db, scope, key);
    if (!row) throw problems.conflict('The first request with this Idempotency-Key failed; send it again.');
    if (row.request_hash !== requestHash) {
      throw problems.unprocessable('This Idempotency-Key was already used with a different request body.', [{ field: 'Idempotency-Key', message: 'reused with a different body' }]);
    }
    if (row.state === 'completed') {
      return new Response(row.response_body, { status: row.response_status ?? 200, headers: { ...(row.response_headers ?? {}), 'Idempotent-Replayed': 'true' } });
    }
    if (Date.now() > deadline) throw problems.conflict('A request with this Idempotency-Key is still being processed; retry later.');
    await new Promise((r) => setTimeout(r, 50));
  }
}
