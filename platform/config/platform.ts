import { z } from 'zod';
import { bool, int, optionalString } from './env';

/** The variables every process reads: where it listens, where PostgreSQL and Temporal are. */
export const platformSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  PORT: int(3000),
  PUBLIC_BASE_URL: optionalString,
  BODY_LIMIT_BYTES: int(1_048_576),
  DATA_DIR: z.string().default('.data'),
  TOOLS_DIR: z.string().default('.tools'),
  DATABASE_URL: optionalString,
  EMBEDDED_PG_PORT: int(5433),
  DB_POOL_MAX: int(20),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TLS_CERT: optionalString,
  TEMPORAL_TLS_KEY: optionalString,
  TEMPORAL_TLS_CA: optionalString,
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_DEV_PORT: int(7233),
  TEMPORAL_UI_PORT: int(8233),
  TASK_QUEUE: z.string().default('limelight'),
  MEDIA_TASK_QUEUE: z.string().default('limelight-media'),
  WORKER_MAX_ACTIVITIES: int(200),
  WORKER_MAX_CACHED_WORKFLOWS: int(10_000),
  MEDIA_MAX_ACTIVITIES: int(1),
  WORKER_METRICS_PORT: int(9464),
  WORKER_APP_METRICS_PORT: int(9465),
  JWT_SECRET: z.string().min(32).default('dev-only-secret-change-me-in-production-0123456789'),
  IDEMPOTENCY_TTL_HOURS: int(24),
  TRUST_PROXY: bool(false),
  OUTBOUND_ALLOW_PRIVATE_NETWORKS: bool(false),
});

export type PlatformConfig = z.infer<typeof platformSchema>;

/**
 * Where links in emails (and other absolute URLs the platform hands out) point: PUBLIC_BASE_URL,
 * else, outside production, the API's own configured origin. Never a request's Host header.
 */
export function publicBaseUrl(config: Pick<PlatformConfig, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>): string {
  if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL.replace(/\/+$/, '');
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${config.PORT}`;
}
