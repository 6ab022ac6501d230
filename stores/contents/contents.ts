import type { Knex } from 'knex';
import type { Content, ContentAudience, ContentKind, ContentMedia, ContentStatus, ContentVisibility } from '../../domain/contents';
import type { Db } from '../../platform/db';
import { adjustContentCount } from '../channels/channels';
import { cursorAfter, encodeCursor } from '../pagination';

/** `contents`: one row per video or track; `deleted_at` hides it at once, its workflow then removes media and row. */
interface ContentRow {
  id: string;
  channel_id: string;
  kind: ContentKind;
  title: string;
  description: string;
  author_id: string;
  status: ContentStatus;
  visibility: ContentVisibility;
  audience: ContentAudience;
  duration_seconds: number | null;
  artist: string | null;
  album: string | null;
  failure_reason: string | null;
  media: ContentMedia | null;
  upload_count: number;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  deleted_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toContent(row: ContentRow): Content {
  return {
    id: row.id,
    channelId: row.channel_id,
    kind: row.kind,
    title: row.title,
    description: row.description,
    authorId: row.author_id,
    status: row.status,
    visibility: row.visibility,
    audience: row.audience,
    durationSeconds: row.duration_seconds === null ? null : Number(row.duration_seconds),
    artist: row.artist,
    album: row.album,
    failureReason: row.failure_reason,
    uploadCount: Number(row.upload_count),
    media: row.media,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    publishedAt: iso(row.published_at),
  };
}

const live = (db: Db | Knex.Transaction) => db<ContentRow>('contents').whereNull('deleted_at');

export interface NewContent {
  id: string;
  channelId: string;
  kind: ContentKind;
  title: string;
  description: string;
  authorId: string;
  visibility: ContentVisibility;
  audience: ContentAudience;
  artist: string | null;
  album: string | null;
}

/** A draft. Fails (foreign key) when the channel row is gone; the route checked the channel is live just before. */
export async function insertContent(db: Db, content: NewContent): Promise<Content> {
  const [row] = await db<ContentRow>('contents')
    .insert({
      id: content.id,
      channel_id: content.channelId,
      kind: content.kind,
      title: content.title,
      description: content.description,
      author_id: content.authorId,
      visibility: content.visibility,
      audience: content.audience,
      artist: content.artist,
      album: content.album,
      status: 'draft',
    })
    .returning('*');
  return toContent(row);
}

/** A live content (not being deleted); whether its channel is live is the channel store's to say (channelAccess). */
export async function findContent(db: Db, id: string): Promise<Content | undefined> {
  const row = await live(db).where({ id }).first();
  return row ? toContent(row) : undefined;
}

export interface ContentPatch {
  title?: string;
  description?: string;
  visibility?: ContentVisibility;
  audience?: ContentAudience;
  artist?: string | null;
  album?: string | null;
}

export async function updateContent(db: Db, id: string, patch: ContentPatch): Promise<Content | undefined> {
  const [row] = await live(db)
    .where({ id })
    .update({ ...patch, updated_at: db.fn.now() } as unknown as Partial<ContentRow>)
    .returning('*');
  return row ? toContent(row) : undefined;
}

export interface ListQuery {
  kind?: ContentKind;
  sort: 'newest' | 'oldest';
  limit: number;
  cursor?: string;
  /** `public`: only published, public contents (what everyone but the channel team sees). */
  filter: 'all' | 'public';
}

/** One page of a channel's contents by creation time; the cursor is (createdAt, id) of the last item. */
export async function listChannelContents(db: Db, channelId: string, query: ListQuery): Promise<{ items: Content[]; nextCursor: string | null }> {
  const after = cursorAfter(query.cursor);
  const q = live(db).where({ channel_id: channelId });
  if (query.kind) q.where({ kind: query.kind });
  if (query.filter === 'public') q.where({ status: 'published', visibility: 'public' });
  const dir = query.sort === 'newest' ? 'desc' : 'asc';
  if (after) q.whereRaw(`(created_at, id) ${dir === 'desc' ? '<' : '>'} (?, ?)`, [after.createdAt, after.id]);
  const rows = await q.orderBy([{ column: 'created_at', order: dir }, { column: 'id', order: dir }]).limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items: items.map(toContent), nextCursor: rows.length > query.limit && last ? encodeCursor(last.created_at, last.id) : null };
}

/**
 * Takes an upload: from draft or failed to processing, upload number + 1, in one conditional
 * statement (two uploads racing: one wins). Answers the new upload number and the status before,
 * or undefined when the content is not (or no longer) in a state that takes an upload.
 */
export async function beginProcessing(db: Db, id: string): Promise<{ version: number; previousStatus: ContentStatus; previousReason: string | null } | undefined> {
  const rows = await db.raw<{ rows: { upload_count: number; previous_status: ContentStatus; previous_reason: string | null }[] }>(
    `update contents c set status = 'processing', upload_count = c.upload_count + 1, failure_reason = null, updated_at = now()
       from (select id, status as previous_status, failure_reason as previous_reason from contents where id = ? for update) p
      where c.id = p.id and c.deleted_at is null and c.status in ('draft', 'failed')
      returning c.upload_count, p.previous_status, p.previous_reason`,
    [id],
  );
  const row = rows.rows[0];
  return row ? { version: Number(row.upload_count), previousStatus: row.previous_status, previousReason: row.previous_reason } : undefined;
}

/** Undoes beginProcessing when the workflow could not be started (recordThenStart). */
export async function undoProcessing(db: Db, id: string, version: number, previous: { status: ContentStatus; reason: string | null }): Promise<void> {
  await db<ContentRow>('contents')
    .where({ id, upload_count: version, status: 'processing' })
    .update({ status: previous.status, failure_reason: previous.reason, upload_count: version - 1, updated_at: db.fn.now() } as unknown as Partial<ContentRow>);
}

/** Publishes upload `version`'s media; false when the content was deleted meanwhile (its media must then go). */
export async function markPublished(db: Db, id: string, version: number, media: ContentMedia, durationSeconds: number): Promise<boolean> {
  return db.transaction(async (trx) => {
    const before = await live(trx).where({ id }).forUpdate().first<Pick<ContentRow, 'channel_id' | 'published_at'> | undefined>('channel_id', 'published_at');
    const n = await live(trx)
      .where({ id, upload_count: version })
      .whereIn('status', ['processing', 'published'])
      .update({ status: 'published', media, duration_seconds: durationSeconds, failure_reason: null, published_at: trx.raw('coalesce(published_at, now())'), updated_at: trx.fn.now() } as unknown as Partial<ContentRow>);
    // The channel's contentCount moves once, at the first publication (a retried activity or a re-upload finds it published).
    if (n > 0 && before && !before.published_at) await adjustContentCount(trx, before.channel_id, 1);
    return n > 0;
  });
}

/** Upload `version` could not be published; false when the content was deleted meanwhile. */
export async function markFailed(db: Db, id: string, version: number, reason: string): Promise<boolean> {
  const n = await live(db)
    .where({ id, upload_count: version })
    .whereIn('status', ['processing', 'failed'])
    .update({ status: 'failed', failure_reason: reason.slice(0, 1000), updated_at: db.fn.now() } as unknown as Partial<ContentRow>);
  return n > 0;
}

/** Hides the content at once (every read skips it); its workflow removes media and row. Undefined when already gone. */
export async function markDeleted(db: Db, id: string): Promise<Content | undefined> {
  return db.transaction(async (trx) => {
    const [row] = await live(trx).where({ id }).update({ deleted_at: trx.fn.now() } as unknown as Partial<ContentRow>).returning('*');
    if (row?.published_at) await adjustContentCount(trx, row.channel_id, -1);
    return row ? toContent(row) : undefined;
  });
}

/** Undoes markDeleted when the removal workflow could not be started (recordThenStart). */
export async function unmarkDeleted(db: Db, id: string): Promise<void> {
  await db.transaction(async (trx) => {
    const [row] = await trx<ContentRow>('contents').where({ id }).whereNotNull('deleted_at').update({ deleted_at: null } as unknown as Partial<ContentRow>).returning('*');
    if (row?.published_at) await adjustContentCount(trx, row.channel_id, 1);
  });
}

/** Removes a deleted content's row once its media are gone; rows referencing it cascade. */
export async function purgeDeletedContent(db: Db, id: string): Promise<boolean> {
  const n = await db<ContentRow>('contents').where({ id }).whereNotNull('deleted_at').delete();
  return n > 0;
}
