import type { Knex } from 'knex';

/** A `cursor` this API did not issue: the API answers it with a 400 naming `cursor`. */
export class InvalidCursorError extends Error {
  constructor() {
    super('not a cursor from this list');
  }
}

/** Opaque cursors over (createdAt, id) keyset pagination. */
export function encodeCursor(createdAt: string | Date, id: string): string {
  return Buffer.from(JSON.stringify([new Date(createdAt).toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    if (typeof createdAt !== 'string' || typeof id !== 'string') throw new Error();
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

/** The cursor decoded; one this API did not issue throws InvalidCursorError. */
export function cursorAfter(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  const after = decodeCursor(cursor);
  if (cursor && !after) throw new InvalidCursorError();
  return after;
}

/**
 * One page of `query`, newest first, keyed on (created_at, id) of the table aliased `prefix`
 * ("s." for `subscriptions as s`): fetches one row more than `limit` to know whether a next page exists.
 */
export async function newestFirstPage<Row extends { created_at: Date | string; id: string }>(query: Knex.QueryBuilder, page: { limit: number; cursor?: string }, prefix = ''): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const after = cursorAfter(page.cursor);
  if (after) query.whereRaw(`(${prefix}created_at, ${prefix}id) < (?, ?)`, [after.createdAt, after.id]);
  const rows = (await query.orderBy([{ column: `${prefix}created_at`, order: 'desc' }, { column: `${prefix}id`, order: 'desc' }]).limit(page.limit + 1)) as Row[];
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { rows: items, nextCursor: rows.length > page.limit && last ? encodeCursor(last.created_at, last.id) : null };
}
