import { isUniqueViolation, type Db } from '../../platform/db';
import { InvalidCursorError, newestFirstPage } from '../pagination';

/** `channels`: one row per channel; `deleted_at` set hides it from every read until its deletion workflow removes it. */
export interface ChannelRow {
  id: string;
  handle: string;
  name: string;
  description: string;
  owner_id: string;
  subscriber_count: number;
  content_count: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

/** A channel as the API shows it. */
export interface Channel {
  id: string;
  handle: string;
  name: string;
  description: string;
  ownerId: string;
  createdAt: string;
  subscriberCount: number;
  contentCount: number;
}

export function toChannel(row: ChannelRow): Channel {
  return {
    id: row.id,
    handle: row.handle,
    name: row.name,
    description: row.description,
    ownerId: row.owner_id,
    createdAt: row.created_at.toISOString(),
    subscriberCount: Number(row.subscriber_count),
    contentCount: Number(row.content_count),
  };
}

const HANDLE_INDEX = 'channels_handle_live';

function live(db: Db) {
  return db<ChannelRow>('channels').whereNull('deleted_at');
}

/** A live channel by id, or by handle (case-insensitive). */
export async function findChannel(db: Db, idOrHandle: string): Promise<Channel | undefined> {
  const row = await live(db)
    .where((q) => q.where('id', idOrHandle).orWhereRaw('lower(handle) = lower(?)', [idOrHandle]))
    .first();
  return row ? toChannel(row) : undefined;
}

/** How many live channels the account owns. */
export async function countOwnedChannels(db: Db, ownerId: string): Promise<number> {
  const row = await live(db).where({ owner_id: ownerId }).count<{ n: string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export type CreateChannelResult =
  | { ok: true; channel: Channel }
  | { ok: false; reason: 'limit'; limit: number; current: number }
  | { ok: false; reason: 'handle_taken' };

/**
 * Creates a channel unless its owner already has `limit` live channels (undefined: no limit) or the
 * handle is taken. The count and the insert run under a transaction-scoped advisory lock on the
 * owner, so two creations racing at the limit cannot both see room: exactly one wins.
 */
export async function createChannelWithinLimit(
  db: Db,
  channel: { id: string; handle: string; name: string; description: string; ownerId: string },
  limit: number | undefined,
): Promise<CreateChannelResult> {
  try {
    return await db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`channels-owner:${channel.ownerId}`]);
      if (limit !== undefined) {
        const current = await countOwnedChannels(trx, channel.ownerId);
        if (current >= limit) return { ok: false as const, reason: 'limit' as const, limit, current };
      }
      const [row] = await trx<ChannelRow>('channels')
        .insert({ id: channel.id, handle: channel.handle, name: channel.name, description: channel.description, owner_id: channel.ownerId })
        .returning('*');
      return { ok: true as const, channel: toChannel(row as ChannelRow) };
    });
  } catch (error) {
    if (isUniqueViolation(error, HANDLE_INDEX)) return { ok: false, reason: 'handle_taken' };
    throw error;
  }
}

export interface ChannelPatch {
  name?: string;
  description?: string;
  handle?: string;
}

/** Changes a live channel; undefined when it is gone, `handle_taken` when the new handle belongs to another live channel. */
export async function updateChannel(db: Db, id: string, patch: ChannelPatch): Promise<Channel | 'handle_taken' | undefined> {
  const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  try {
    const [row] = await live(db).where({ id }).update({ ...fields, updated_at: db.fn.now() }).returning('*');
    return row ? toChannel(row as ChannelRow) : undefined;
  } catch (error) {
    if (isUniqueViolation(error, HANDLE_INDEX)) return 'handle_taken';
    throw error;
  }
}

/**
 * Hides the channel from every read at once and frees its handle (the unique index covers live
 * channels only). Answers whether this call did it (false: already deleted or missing).
 */
export async function markChannelDeleted(db: Db, id: string): Promise<boolean> {
  const n = await live(db).where({ id }).update({ deleted_at: db.fn.now(), updated_at: db.fn.now() });
  return n > 0;
}

/**
 * Undoes markChannelDeleted when its workflow could not start. If the handle was taken again in the
 * meantime the channel stays hidden (answers false) and a later deletion attempt finds it by id.
 */
export async function unmarkChannelDeleted(db: Db, id: string): Promise<boolean> {
  try {
    const n = await db<ChannelRow>('channels').where({ id }).whereNotNull('deleted_at').update({ deleted_at: null, updated_at: db.fn.now() });
    return n > 0;
  } catch (error) {
    if (isUniqueViolation(error, HANDLE_INDEX)) return false;
    throw error;
  }
}

/** The last step of a deletion: the channel row itself, only once it is marked deleted. */
export async function removeDeletedChannel(db: Db, id: string): Promise<boolean> {
  const n = await db<ChannelRow>('channels').where({ id }).whereNotNull('deleted_at').delete();
  return n > 0;
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export interface ChannelFilter {
  /** Prefix of the name or the handle, case-insensitive. */
  q?: string;
  ownerId?: string;
  sort: 'newest' | 'popular';
  limit: number;
  cursor?: string;
}

/** Opaque cursor of the popular order: (subscriber_count, id) of the last row. */
function encodePopularCursor(count: number, id: string): string {
  return Buffer.from(JSON.stringify(['p', count, id])).toString('base64url');
}

function decodePopularCursor(cursor: string | undefined): { count: number; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [tag, count, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown, unknown];
    if (tag !== 'p' || !Number.isSafeInteger(count) || typeof id !== 'string') throw new Error();
    return { count: count as number, id };
  } catch {
    throw new InvalidCursorError();
  }
}

/**
 * Live channels, newest first (created_at, id) or most popular first (subscriber_count desc, id).
 * A cursor of the other order, or one this list did not issue, throws InvalidCursorError.
 */
export async function listChannels(db: Db, filter: ChannelFilter): Promise<{ items: Channel[]; nextCursor: string | null }> {
  const query = live(db).select('*');
  if (filter.q) {
    const prefix = `${likeEscape(filter.q.toLowerCase())}%`;
    query.where((q) => q.whereRaw(`lower(name) like ? escape '\\'`, [prefix]).orWhereRaw(`lower(handle) like ? escape '\\'`, [prefix]));
  }
  if (filter.ownerId) query.where({ owner_id: filter.ownerId });
  if (filter.sort === 'newest') {
    const page = await newestFirstPage<ChannelRow>(query, { limit: filter.limit, cursor: filter.cursor });
    return { items: page.rows.map(toChannel), nextCursor: page.nextCursor };
  }
  const after = decodePopularCursor(filter.cursor);
  if (after) query.whereRaw('(subscriber_count < ? or (subscriber_count = ? and id > ?))', [after.count, after.count, after.id]);
  const rows = (await query.orderBy([{ column: 'subscriber_count', order: 'desc' }, { column: 'id', order: 'asc' }]).limit(filter.limit + 1)) as ChannelRow[];
  const items = rows.slice(0, filter.limit);
  const last = items[items.length - 1];
  return { items: items.map(toChannel), nextCursor: rows.length > filter.limit && last ? encodePopularCursor(Number(last.subscriber_count), last.id) : null };
}

/**
 * For other stores (contents): the ids of live channels as a subquery, so a read can keep out
 * whatever belongs to a channel being deleted without naming this table: `.whereIn('channel_id', liveChannelIds(db))`.
 */
export function liveChannelIds(db: Db) {
  return live(db).select('id');
}

/** Moves a channel's `contentCount` (the contents capability calls it when a content is published or removed). */
export async function adjustContentCount(db: Db, channelId: string, delta: number): Promise<void> {
  await db('channels').where({ id: channelId }).update({ content_count: db.raw('greatest(content_count + ?, 0)', [delta]) });
}
