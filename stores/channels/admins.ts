import type { ChannelPermission } from '../../domain/channels/permissions';
import type { Db } from '../../platform/db';

/** `channel_admins`: accounts the owner gave permissions on one channel. Only subscribers may be admins. */
export interface ChannelAdmin {
  channelId: string;
  accountId: string;
  permissions: ChannelPermission[];
  createdAt: string;
  updatedAt: string;
}

interface AdminRow {
  channel_id: string;
  account_id: string;
  permissions: ChannelPermission[];
  created_at: Date;
  updated_at: Date;
}

const toAdmin = (row: AdminRow): ChannelAdmin => ({
  channelId: row.channel_id,
  accountId: row.account_id,
  permissions: row.permissions,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/**
 * Makes `accountId` an admin of the channel with exactly `permissions` (replacing earlier ones),
 * only while it subscribes: the subscription row is locked (for share) so an unsubscribe racing
 * with this waits, then removes the admin too. Undefined when the account does not subscribe.
 */
export async function putChannelAdmin(db: Db, channelId: string, accountId: string, permissions: readonly ChannelPermission[]): Promise<ChannelAdmin | undefined> {
  return db.transaction(async (trx) => {
    const subscribed = await trx('channel_subscriptions').where({ channel_id: channelId, account_id: accountId }).forShare().first('account_id');
    if (!subscribed) return undefined;
    const [row] = await trx('channel_admins')
      .insert({ channel_id: channelId, account_id: accountId, permissions: [...new Set(permissions)] })
      .onConflict(['channel_id', 'account_id'])
      .merge({ permissions: [...new Set(permissions)], updated_at: trx.fn.now() })
      .returning('*');
    return toAdmin(row as AdminRow);
  });
}

/** The channel's admins, oldest first. */
export async function listChannelAdmins(db: Db, channelId: string): Promise<ChannelAdmin[]> {
  const rows: AdminRow[] = await db('channel_admins').where({ channel_id: channelId }).orderBy([{ column: 'created_at' }, { column: 'account_id' }]);
  return rows.map(toAdmin);
}

/** Takes the admin role away; answers whether the account was an admin. */
export async function removeChannelAdmin(db: Db, channelId: string, accountId: string): Promise<boolean> {
  const n = await db('channel_admins').where({ channel_id: channelId, account_id: accountId }).delete();
  return n > 0;
}

/** Deletion workflow: removes up to `batchSize` admins of the channel; answers how many went. */
export async function removeChannelAdminsBatch(db: Db, channelId: string, batchSize: number): Promise<number> {
  return db('channel_admins')
    .whereIn(['channel_id', 'account_id'], db('channel_admins').select('channel_id', 'account_id').where({ channel_id: channelId }).limit(batchSize))
    .delete();
}
