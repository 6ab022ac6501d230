import Redis from 'ioredis';
import type { BufferedEvent, EngagementEvent, VoteValue } from '../../domain/engagement/events';
import type { EngagementBuffer } from './port';

/**
 * The Redis buffer: one stream (`<prefix>:events`, XADD; ids are assigned by Redis in arrival order)
 * plus, per pending vote, a key `<prefix>:vote:<contentId>:<accountId>` holding the newest value so
 * that a caller sees their own vote before the flush. Both are written in one MULTI, so the key and
 * the stream never disagree on which vote is the last. The flush reads the stream's head with
 * XRANGE (no consumer group: one flush at a time) and deletes exactly the entries it applied (XDEL).
 * Survives a Redis restart with what Redis persisted (run it with appendonly for no loss).
 */
const VOTE_KEY_TTL_SECONDS = 24 * 3600;

function encode(event: EngagementEvent): string {
  return JSON.stringify(event);
}

function entries(raw: [string, string[]][]): BufferedEvent[] {
  return raw.map(([id, fields]) => ({ position: id, event: JSON.parse(fields[1]) as EngagementEvent }));
}

export function createRedisBuffer(options: { url: string; prefix: string }): EngagementBuffer {
  const redis = new Redis(options.url, { maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: false });
  // Connection errors surface on the commands that fail; ioredis reconnects by itself.
  redis.on('error', () => undefined);
  const stream = `${options.prefix}:events`;
  const voteKey = (contentId: string, accountId: string) => `${options.prefix}:vote:${contentId}:${accountId}`;

  return {
    adapter: 'redis',
    name: `redis:${options.prefix}`,
    async append(events) {
      if (!events.length) return;
      const multi = redis.multi();
      for (const event of events) {
        multi.xadd(stream, '*', 'e', encode(event));
        if (event.kind === 'vote') multi.set(voteKey(event.contentId, event.accountId), String(event.value), 'EX', VOTE_KEY_TTL_SECONDS);
      }
      const results = await multi.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('redis transaction aborted');
    },
    async head(max) {
      return entries((await redis.xrange(stream, '-', '+', 'COUNT', max)) as [string, string[]][]);
    },
    async read(positions) {
      if (!positions.length) return [];
      const wanted = new Set(positions);
      const raw = (await redis.xrange(stream, positions[0], positions[positions.length - 1])) as [string, string[]][];
      return entries(raw.filter(([id]) => wanted.has(id)));
    },
    async ack(positions) {
      if (!positions.length) return;
      // One MULTI: a batch is acknowledged whole or not at all (a partial ack would shift the next claim's id).
      const multi = redis.multi();
      for (let i = 0; i < positions.length; i += 5_000) multi.xdel(stream, ...positions.slice(i, i + 5_000));
      const results = await multi.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('redis transaction aborted');
    },
    async pendingVote(contentId, accountId) {
      const value = await redis.get(voteKey(contentId, accountId));
      return value === null ? undefined : (Number(value) as VoteValue);
    },
    async size() {
      return redis.xlen(stream);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
