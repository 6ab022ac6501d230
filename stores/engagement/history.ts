import type { Db } from '../../platform/db';
import { InvalidCursorError } from '../pagination';

/** `watch_history`: what a signed-in viewer watched (written by the flush from their views), newest first. */
export interface HistoryEntry {
  contentId: string;
  watchedAt: string;
}

export async function listHistory(db: Db, accountId: string, limit: number, cursor?: string): Promise<{ items: HistoryEntry[]; nextCursor: string | null }> {
  const q = db('watch_history').where({ account_id: accountId });
  if (cursor) {
    let after: [string, string];
    try {
      after = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    } catch {
      throw new InvalidCursorError();
    }
    if (!Array.isArray(after) || typeof after[0] !== 'string' || Number.isNaN(Date.parse(after[0])) || typeof after[1] !== 'string') throw new InvalidCursorError();
    q.whereRaw('(watched_at, content_id) < (?, ?)', after);
  }
  const rows: { content_id: string; watched_at: Date }[] = await q.orderBy([{ column: 'watched_at', order: 'desc' }, { column: 'content_id', order: 'desc' }]).limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => ({ contentId: r.content_id, watchedAt: r.watched_at.toISOString() })),
    nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.watched_at.toISOString(), last.content_id])).toString('base64url') : null,
  };
}

/** Removes one content from the history; false when it was not there. */
export async function removeHistoryEntry(db: Db, accountId: string, contentId: string): Promise<boolean> {
  return (await db('watch_history').where({ account_id: accountId, content_id: contentId }).delete()) > 0;
}
