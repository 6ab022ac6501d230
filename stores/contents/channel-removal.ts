import type { Db } from '../../platform/db';

/**
 * What the channelDeletion workflow needs of `contents` (owned here, by stores/contents): the ids of
 * a deleted channel's contents in batches, and the removal of their rows once their media folders
 * (`contents/<id>/…` in storage) are gone.
 */

/** Up to `limit` content ids of the channel (every status, deleted or not), oldest first. */
export async function contentIdsOfChannel(db: Db, channelId: string, limit: number): Promise<string[]> {
  return db('contents').where({ channel_id: channelId }).orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(limit).pluck('id');
}

/** Removes these contents' rows (rows that reference them cascade); answers how many went. */
export async function deleteContentRows(db: Db, channelId: string, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return db('contents').where({ channel_id: channelId }).whereIn('id', [...ids]).delete();
}

/** The storage prefix (folder) of one content's media files. */
export function contentMediaPrefix(contentId: string): string {
  return `contents/${contentId}`;
}
