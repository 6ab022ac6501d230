import type { Db } from '../../platform/db';

/** The emails of the given accounts, by account id (ids with no account are absent). One query for a batch. */
export async function emailsOf(db: Db, accountIds: string[]): Promise<Map<string, string>> {
  if (accountIds.length === 0) return new Map();
  const rows: { id: string; email: string }[] = await db('accounts').select('id', 'email').whereIn('id', accountIds);
  return new Map(rows.map((r) => [r.id, r.email]));
}

/**
 * The display names of the given accounts, by account id, for naming people on public pages
 * (comment authors, channel admins). A deactivated account is absent, so it shows as unnamed. One query for a batch.
 */
export async function displayNamesOf(db: Db, accountIds: string[]): Promise<Map<string, string>> {
  if (accountIds.length === 0) return new Map();
  const rows: { id: string; name: string }[] = await db('accounts').select('id', 'name').whereIn('id', accountIds).whereNot('status', 'deactivated');
  return new Map(rows.map((r) => [r.id, r.name]));
}
