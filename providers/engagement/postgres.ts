import type { BufferedEvent, EngagementEvent, VoteValue } from '../../domain/engagement/events';
import type { Db } from '../../platform/db';
import type { EngagementBuffer } from './port';

/**
 * The embedded default: `engagement_buffer_events`, an append-only table (one cheap insert per
 * request, no index but the key and a partial one for pending votes). Positions are the bigserial
 * ids; a row whose transaction commits late (a smaller id seen after bigger ones) is simply taken by
 * a later batch, because batches are acknowledged by their exact ids, never by a range.
 */
interface EventRow {
  id: number | string;
  kind: EngagementEvent['kind'];
  content_id: string | null;
  channel_id: string | null;
  account_id: string | null;
  viewer_key: string | null;
  value: number | null;
  at: Date;
}

function toRow(event: EngagementEvent): Omit<EventRow, 'id'> {
  switch (event.kind) {
    case 'vote':
      return { kind: 'vote', content_id: event.contentId, channel_id: null, account_id: event.accountId, viewer_key: null, value: event.value, at: new Date(event.at) };
    case 'view':
      return { kind: 'view', content_id: event.contentId, channel_id: null, account_id: event.accountId ?? null, viewer_key: event.viewerKey, value: null, at: new Date(event.at) };
    case 'subscription':
      return { kind: 'subscription', content_id: null, channel_id: event.channelId, account_id: event.accountId, viewer_key: null, value: null, at: new Date(event.at) };
  }
}

function toEvent(row: EventRow): BufferedEvent {
  const at = row.at.toISOString();
  const position = String(row.id);
  if (row.kind === 'vote') return { position, event: { kind: 'vote', contentId: row.content_id!, accountId: row.account_id!, value: row.value as VoteValue, at } };
  if (row.kind === 'view') return { position, event: { kind: 'view', contentId: row.content_id!, viewerKey: row.viewer_key!, ...(row.account_id ? { accountId: row.account_id } : {}), at } };
  return { position, event: { kind: 'subscription', channelId: row.channel_id!, accountId: row.account_id!, at } };
}

export function createPostgresBuffer(db: Db): EngagementBuffer {
  const table = () => db<EventRow>('engagement_buffer_events');
  return {
    adapter: 'postgres',
    name: 'postgres',
    async append(events) {
      if (events.length) await table().insert(events.map(toRow));
    },
    async head(max) {
      const rows = await table().orderBy('id').limit(max);
      return rows.map(toEvent);
    },
    async read(positions) {
      if (!positions.length) return [];
      const rows = await table().whereRaw('id = any(?::bigint[])', [positions.map(Number)]).orderBy('id');
      return rows.map(toEvent);
    },
    async ack(positions) {
      // One statement: a batch is acknowledged whole or not at all (a partial ack would shift the next claim's id).
      if (positions.length) await table().whereRaw('id = any(?::bigint[])', [positions.map(Number)]).delete();
    },
    async pendingVote(contentId, accountId) {
      const row = await table().where({ kind: 'vote', content_id: contentId, account_id: accountId }).orderBy('id', 'desc').first('value');
      return row ? (Number(row.value) as VoteValue) : undefined;
    },
    async size() {
      const [row] = await table().count({ n: '*' });
      return Number(row.n);
    },
    async close() {
      // The database belongs to the process.
    },
  };
}
