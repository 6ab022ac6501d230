import type { Db } from '../../platform/db';
import type { ChannelPermission } from '../../domain/channels/permissions';

/** What permission checks need to know about one live channel and one caller. */
export interface ChannelAccess {
  channel: { id: string; ownerId: string };
  isOwner: boolean;
  /** The caller's admin permissions on the channel; absent when the caller is not its admin. */
  adminPermissions?: ChannelPermission[];
  isSubscriber: boolean;
}

/**
 * One round trip: the live channel (by id) and who `accountId` is to it. Undefined when the
 * channel does not exist or is being deleted.
 */
export async function channelAccess(db: Db, channelId: string, accountId: string | undefined): Promise<ChannelAccess | undefined> {
  const row = await db('channels as c')
    .leftJoin('channel_admins as a', function joinAdmin() {
      this.on('a.channel_id', 'c.id').andOnVal('a.account_id', '=', accountId ?? '');
    })
    .leftJoin('channel_subscriptions as s', function joinSubscription() {
      this.on('s.channel_id', 'c.id').andOnVal('s.account_id', '=', accountId ?? '');
    })
    .where('c.id', channelId)
    .whereNull('c.deleted_at')
    .first<{ id: string; owner_id: string; permissions: ChannelPermission[] | null; subscribed: string | null } | undefined>('c.id', 'c.owner_id', 'a.permissions', 's.account_id as subscribed');
  if (!row) return undefined;
  return {
    channel: { id: row.id, ownerId: row.owner_id },
    isOwner: accountId !== undefined && row.owner_id === accountId,
    adminPermissions: row.permissions ?? undefined,
    isSubscriber: row.subscribed !== null,
  };
}
