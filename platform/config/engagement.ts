import { z } from 'zod';
import { duration, optionalString } from './env';

const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const optionalBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1' || v === 'yes'));

/**
 * Variables of the engagement capability: the buffer adapter, the flush schedule, view counting,
 * comments, trending and the upload notification fan-out.
 */
export const engagementSchema = z.object({
  /** `redis` or `postgres`; default: redis when REDIS_URL is set, else postgres (the append-only staging table). */
  ENGAGEMENT_BUFFER: z
    .enum(['redis', 'postgres', ''])
    .optional()
    .transform((v) => (v ? v : undefined)),
  REDIS_URL: optionalString,
  /** Key prefix of the Redis buffer (one stream and its vote keys). */
  ENGAGEMENT_REDIS_PREFIX: z.string().min(1).default('limelight:engagement'),
  /** The `engagement-flush` schedule. Enabled by default, except when NODE_ENV=test. */
  ENGAGEMENT_FLUSH_ENABLED: optionalBool,
  ENGAGEMENT_SCHEDULE_ID: z.string().min(1).default('engagement-flush'),
  ENGAGEMENT_FLUSH_INTERVAL: duration('10s'),
  /** Events per flush activity (one transaction). */
  ENGAGEMENT_FLUSH_BATCH: positive(5000),
  /** Batches one flush run drains at most (the next run continues). */
  ENGAGEMENT_FLUSH_MAX_BATCHES: positive(200),
  /** Contents published within this horizon have their trending score recomputed by every flush (age decays it). */
  ENGAGEMENT_TRENDING_HORIZON: duration('7d'),
  /** A player reports a view after this much watching. */
  VIEW_COUNTS_AFTER: duration('10s'),
  /** One viewer counts once per content within this window. */
  VIEW_DEDUP_WINDOW: duration('1h'),
  /** Salt of the hash that identifies anonymous viewers (address + user agent); set it in production. */
  VIEW_HASH_SALT: z.string().min(1).default('limelight-dev-view-salt'),
  /** Subscribers mailed per activity call of the upload notification fan-out. */
  NOTIFY_PAGE_SIZE: positive(100),
});

export type EngagementConfig = z.infer<typeof engagementSchema>;
