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

/** What encodeCursor writes: an ISO instant in UTC (years 1–9999, which PostgreSQL and Date agree on). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
// A printable id: no NUL or control character, no lone surrogate (PostgreSQL would refuse them).
const ID = /^[\x20-\x7e]{1,200}$/;

/**
 * The cursor's position, or undefined when it is not one encodeCursor could have written: well-formed
 * JSON holding something else (`["abc","x"]`, year 0, a control character) must not reach SQL.
 */
export function decodeCursor(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (!Array.isArray(decoded) || decoded.length !== 2) return undefined;
    const [createdAt, id] = decoded as unknown[];
    if (typeof createdAt !== 'string' || typeof id !== 'string' || !INSTANT.test(createdAt) || !ID.test(id)) return undefined;
    const time = new Date(createdAt);
    const year = Number(createdAt.slice(0, 4));
    if (Number.isNaN(time.getTime()) || year < 1 || time.toISOString().slice(0, 19) !== createdAt.slice(0, 19)) return undefined;
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
