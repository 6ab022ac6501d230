import type { Knex } from 'knex';
import { HOT_AGE_OFFSET_HOURS, HOT_GRAVITY } from '../../domain/engagement/hot-score';
import type { ContentKind } from '../../domain/contents';
import type { Db } from '../../platform/db';
import { InvalidCursorError } from '../pagination';

/**
 * The engagement counters on `contents` (upvotes, downvotes, view_count, hot_score) and
 * `comments_enabled`: written only by the engagement flush (stores/engagement/flush.ts) through
 * these functions, read by the contents serializer and the discover list.
 */
export interface ContentEngagement {
  upvotes: number;
  downvotes: number;
  score: number;
  viewCount: number;
  hotScore: number;
  commentsEnabled: boolean;
}

/** The hot score in SQL, as domain/engagement/hot-score.ts defines it. */
const HOT_SQL = `(upvotes - downvotes + ln(1 + greatest(view_count, 0)))
  / power(greatest(extract(epoch from (now() - coalesce(published_at, created_at))) / 3600.0, 0) + ${HOT_AGE_OFFSET_HOURS}, ${HOT_GRAVITY})`;

export async function contentEngagement(db: Db, ids: string[]): Promise<Map<string, ContentEngagement>> {
  const rows = ids.length ? await db('contents').whereIn('id', ids).select('id', 'upvotes', 'downvotes', 'view_count', 'hot_score', 'comments_enabled') : [];
  return new Map(
    rows.map((r) => [r.id as string, { upvotes: Number(r.upvotes), downvotes: Number(r.downvotes), score: Number(r.upvotes) - Number(r.downvotes), viewCount: Number(r.view_count), hotScore: Number(r.hot_score), commentsEnabled: Boolean(r.comments_enabled) }]),
  );
}

/** Which of these contents still exist (the flush skips events of contents removed meanwhile). */
export async function existingContentIds(db: Db | Knex.Transaction, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  return new Set(await db('contents').whereIn('id', ids).pluck('id'));
}

/** Adds the flush's deltas to the counters, in the flush's transaction. */
export async function addContentCounters(trx: Knex.Transaction, deltas: { id: string; up: number; down: number; views: number }[]): Promise<void> {
  const moved = deltas.filter((d) => d.up || d.down || d.views);
  if (!moved.length) return;
  await trx.raw(
    `update contents c set upvotes = greatest(c.upvotes + d.up, 0), downvotes = greatest(c.downvotes + d.down, 0), view_count = c.view_count + d.views
       from (select * from unnest(?::text[], ?::int[], ?::int[], ?::bigint[]) as t(id, up, down, views)) d
      where c.id = d.id`,
    [moved.map((d) => d.id), moved.map((d) => d.up), moved.map((d) => d.down), moved.map((d) => d.views)],
  );
}

/** Recomputes the hot score of these contents (the flush, after their counters moved). */
export async function recomputeHotScores(db: Db | Knex.Transaction, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  return db('contents').whereIn('id', ids).update({ hot_score: db.raw(HOT_SQL) });
}

/** Recomputes the hot score of every content published within the horizon: age decays every score. */
export async function recomputeRecentHotScores(db: Db, horizonMs: number): Promise<number> {
  return db('contents')
    .where('status', 'published')
    .whereNull('deleted_at')
    .where('published_at', '>', db.raw(`now() - (? * interval '1 millisecond')`, [horizonMs]))
    .update({ hot_score: db.raw(HOT_SQL) });
}

/** Turns comments on a content on or off (the contents PATCH). */
export async function setCommentsEnabled(db: Db, id: string, enabled: boolean): Promise<boolean> {
  return (await db('contents').where({ id }).whereNull('deleted_at').update({ comments_enabled: enabled })) > 0;
}

export type DiscoverSort = 'trending' | 'newest' | 'top';

const SORT_COLUMN: Record<DiscoverSort, string> = { trending: 'hot_score', newest: `extract(epoch from published_at)`, top: '(upvotes - downvotes)' };

function encodeSortCursor(value: number, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeSortCursor(cursor: string | undefined): { value: number; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(decoded) && decoded.length === 2 && typeof decoded[0] === 'number' && Number.isFinite(decoded[0]) && typeof decoded[1] === 'string' && /^[\x20-\x7e]{1,200}$/.test(decoded[1])) {
      return { value: decoded[0], id: decoded[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError();
}

/**
 * Discover: published public contents (the caller drops those of channels being deleted), by trending (hot score), newest
 * (publication) or top (upvotes − downvotes), highest first; the cursor is (sort value, id).
 * Answers ids in order (the caller loads the contents).
 */
export async function discoverContentIds(db: Db, query: { sort: DiscoverSort; kind?: ContentKind; limit: number; cursor?: string }): Promise<{ ids: string[]; nextCursor: string | null }> {
  const after = decodeSortCursor(query.cursor);
  const column = SORT_COLUMN[query.sort];
  const q = db('contents')
    .where({ status: 'published', visibility: 'public' })
    .whereNull('deleted_at');
  if (query.kind) q.where({ kind: query.kind });
  if (after) q.whereRaw(`(${column}, id) < (?, ?)`, [after.value, after.id]);
  const rows: { id: string; sort_value: number }[] = await q
    .select('id', db.raw(`${column}::float8 as sort_value`))
    .orderByRaw(`${column} desc, id desc`)
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return { ids: items.map((r) => r.id), nextCursor: rows.length > query.limit && last ? encodeSortCursor(Number(last.sort_value), last.id) : null };
}
