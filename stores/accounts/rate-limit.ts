import type { Db } from '../../platform/db';

export interface RateLimitResult {
  allowed: boolean;
  hits: number;
  /** Seconds until the current window ends. */
  retryAfterSeconds: number;
}

/**
 * Counts one hit on `key` in a fixed window and says whether it is within `limit`. One atomic
 * upsert in PostgreSQL, so every API instance shares the counters and concurrent attempts cannot
 * both slip under the limit.
 */
export async function hitRateLimit(db: Db, key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
  const seconds = windowMs / 1000;
  const { rows } = await db.raw(
    `insert into auth_rate_limits as r (key, window_started_at, hits) values (?, now(), 1)
     on conflict (key) do update set
       hits = case when r.window_started_at <= now() - make_interval(secs => ?) then 1 else r.hits + 1 end,
       window_started_at = case when r.window_started_at <= now() - make_interval(secs => ?) then now() else r.window_started_at end
     returning hits, greatest(0, extract(epoch from (window_started_at + make_interval(secs => ?) - now())))::float8 as retry_after`,
    [key, seconds, seconds, seconds],
  );
  const row = rows[0] as { hits: number; retry_after: number };
  // Now and then, drop windows that ended long ago so the table does not grow with every IP seen.
  if (Math.random() < 0.01) await db('auth_rate_limits').where('window_started_at', '<', db.raw(`now() - make_interval(secs => ?)`, [seconds * 2])).delete();
  return { allowed: row.hits <= limit, hits: row.hits, retryAfterSeconds: Math.max(1, Math.ceil(row.retry_after)) };
}

export async function resetRateLimit(db: Db, key: string): Promise<void> {
  await db('auth_rate_limits').where({ key }).delete();
}
