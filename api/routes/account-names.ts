import type { Db } from '../../platform/db';
import { displayNamesOf } from '../../stores/accounts/lookups';

/** Looks up a page's names: null for no id, an account that is gone or a deactivated one. */
export type NameOf = (accountId: string | null) => string | null;

/**
 * The display names of every account a page names, in one query (not one per row): the
 * engagement and channel stores may not read `accounts`, so routes join the names here.
 */
export async function accountNames(db: Db, accountIds: readonly (string | null)[]): Promise<NameOf> {
  const ids = [...new Set(accountIds.filter((id): id is string => id !== null))];
  const names = await displayNamesOf(db, ids);
  return (accountId) => (accountId === null ? null : (names.get(accountId) ?? null));
}
