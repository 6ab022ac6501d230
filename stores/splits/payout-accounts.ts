import type { Db } from '../../platform/db';
import { accountContacts } from '../accounts/accounts';
import { cursorAfter, encodeCursor } from '../pagination';

/**
 * `payout_accounts`: where a recipient of split payments is paid (a connected account at the
 * payment provider). One row per connected account: the table's unique (provider,
 * provider_account_id) keeps two accounts from sharing one.
 */
export interface PayoutAccount {
  id: string;
  accountId: string;
  provider: 'stripe' | 'sandbox';
  providerAccountId: string;
  createdAt: string;
}

interface PayoutRow {
  id: string;
  account_id: string;
  provider: 'stripe' | 'sandbox';
  provider_account_id: string;
  created_at: Date;
}

export function toPayoutAccount(row: PayoutRow): PayoutAccount {
  return { id: row.id, accountId: row.account_id, provider: row.provider, providerAccountId: row.provider_account_id, createdAt: row.created_at.toISOString() };
}

/** Registers a payout account; null when its connected account is already registered (to anyone). */
export async function insertPayoutAccount(db: Db, input: { id: string; accountId: string; provider: 'stripe' | 'sandbox'; providerAccountId: string; createdBy: string }): Promise<PayoutAccount | null> {
  const inserted = (await db('payout_accounts')
    .insert({ id: input.id, account_id: input.accountId, provider: input.provider, provider_account_id: input.providerAccountId, created_by: input.createdBy })
    .onConflict(['provider', 'provider_account_id'])
    .ignore()
    .returning('*')) as PayoutRow[];
  return inserted.length === 0 ? null : toPayoutAccount(inserted[0]);
}

/**
 * A page of payout accounts, oldest first (keyed on created_at, id), all of them or one account's.
 * A cursor this API did not issue throws InvalidCursorError.
 */
export async function listPayoutAccounts(db: Db, page: { accountId?: string; limit: number; cursor?: string }): Promise<{ items: PayoutAccount[]; nextCursor: string | null }> {
  const after = cursorAfter(page.cursor);
  let q = db<PayoutRow>('payout_accounts');
  if (page.accountId !== undefined) q = q.where({ account_id: page.accountId });
  if (after) q = q.andWhereRaw('(created_at, id) > (?::timestamptz, ?)', [after.createdAt, after.id]);
  const rows = (await q.orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(page.limit + 1)) as PayoutRow[];
  const items = rows.slice(0, page.limit).map(toPayoutAccount);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

/**
 * Payout accounts with their owner's email and name (the saga notifies each recipient). The owner's
 * contact comes from the accounts store; an id with no payout account is absent from the answer.
 */
export async function getPayoutAccounts(db: Db, ids: string[]): Promise<(PayoutAccount & { email: string; name: string })[]> {
  if (ids.length === 0) return [];
  const rows = (await db<PayoutRow>('payout_accounts').whereIn('id', ids)) as PayoutRow[];
  const contacts = await accountContacts(db, rows.map((r) => r.account_id));
  return rows.flatMap((r) => {
    const contact = contacts.get(r.account_id);
    return contact ? [{ ...toPayoutAccount(r), email: contact.email, name: contact.name }] : [];
  });
}
