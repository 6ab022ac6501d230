import type { Config } from '../../platform/config';
import type { EngagementConfig } from '../../platform/config/engagement';
import type { Db } from '../../platform/db';
import type { EngagementBuffer } from './port';
import { withGroupCommit } from './group-commit';
import { createPostgresBuffer } from './postgres';
import { createRedisBuffer } from './redis';

export type { EngagementBuffer } from './port';
export { createPostgresBuffer } from './postgres';
export { createRedisBuffer } from './redis';
export { withGroupCommit } from './group-commit';

/**
 * The EngagementBuffer adapter: ENGAGEMENT_BUFFER, else redis when REDIS_URL is set, else the
 * PostgreSQL staging table; appends of concurrent requests share one write (group-commit.ts).
 */
export function createEngagementBuffer(config: Config, db: Db): EngagementBuffer {
  const c = config as Config & EngagementConfig;
  const adapter = c.ENGAGEMENT_BUFFER ?? (c.REDIS_URL ? 'redis' : 'postgres');
  if (adapter === 'redis') {
    if (!c.REDIS_URL) throw new Error('ENGAGEMENT_BUFFER=redis needs REDIS_URL');
    return withGroupCommit(createRedisBuffer({ url: c.REDIS_URL, prefix: c.ENGAGEMENT_REDIS_PREFIX }));
  }
  return withGroupCommit(createPostgresBuffer(db));
}
