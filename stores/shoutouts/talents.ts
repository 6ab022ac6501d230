import type { Money } from '../../domain/money';
import type { Db } from '../../platform/db';
import { cursorAfter, encodeCursor } from '../pagination';

/** `shoutout_talents`: one profile per talent account (price, turnaround, whether they take orders). */
export interface TalentProfile {
  id: string;
  displayName: string;
  bio: string;
  category: string;
  price: Money;
  turnaroundDays: number;
  businessPrice: Money | null;
  acceptingOrders: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TalentRow {
  account_id: string;
  display_name: string;
  bio: string;
  category: string;
  price_amount: number;
  currency: string;
  turnaround_days: number;
  business_price_amount: number | null;
  accepting_orders: boolean;
  created_at: Date;
  updated_at: Date;
}

export function toTalentProfile(row: TalentRow): TalentProfile {
  return {
    id: row.account_id,
    displayName: row.display_name,
    bio: row.bio,
    category: row.category,
    price: { amount: Number(row.price_amount), currency: row.currency },
    turnaroundDays: row.turnaround_days,
    businessPrice: row.business_price_amount === null ? null : { amount: Number(row.business_price_amount), currency: row.currency },
    acceptingOrders: row.accepting_orders,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getTalent(db: Db, id: string): Promise<TalentProfile | null> {
  const row = await db<TalentRow>('shoutout_talents').where({ account_id: id }).first();
  return row ? toTalentProfile(row) : null;
}

/** What a talent sets on their profile; the timestamps are the table's. */
export type TalentFields = Omit<TalentRow, 'created_at' | 'updated_at'>;

/** Creates or replaces the talent's profile (one per account). */
export async function upsertTalent(db: Db, fields: TalentFields): Promise<TalentProfile> {
  const [saved] = await db('shoutout_talents')
    .insert(fields)
    .onConflict('account_id')
    .merge({ ...fields, updated_at: db.fn.now() })
    .returning('*');
  return toTalentProfile(saved as TalentRow);
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * Talents oldest first (a directory, stable while new talents join), filtered by part of the name,
 * category and whether they take orders. A `cursor` this list did not issue throws InvalidCursorError.
 */
export async function searchTalents(
  db: Db,
  filter: { q?: string; category?: string; accepting?: boolean; limit: number; cursor?: string },
): Promise<{ items: TalentProfile[]; nextCursor: string | null }> {
  const after = cursorAfter(filter.cursor);
  const query = db<TalentRow>('shoutout_talents').select('*');
  if (filter.q) query.whereRaw(`lower(display_name) like ? escape '\\'`, [`%${likeEscape(filter.q.toLowerCase())}%`]);
  if (filter.category) query.where({ category: filter.category.toLowerCase() });
  if (filter.accepting !== undefined) query.where({ accepting_orders: filter.accepting });
  if (after) query.whereRaw('(created_at, account_id) > (?, ?)', [after.createdAt, after.id]);
  const rows = (await query.orderBy([{ column: 'created_at' }, { column: 'account_id' }]).limit(filter.limit + 1)) as TalentRow[];
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return { items: page.map(toTalentProfile), nextCursor: rows.length > filter.limit && last ? encodeCursor(last.created_at, last.account_id) : null };
}
