import type { Principal } from '../../../domain/auth';
import { mayOnChannel, type ChannelPermission, type ChannelRelation, type OwnerAction, type TeamAction } from '../../../domain/channels/permissions';
import type { Db } from '../../../platform/db';
import { channelAccess, type ChannelAccess } from '../../../stores/channels/relations';
import { problems } from '../../problem';

/** The caller's relation to a live channel; 404 when there is no such channel (or it is being deleted). */
export async function loadChannelRelation(db: Db, channelId: string, principal: Principal | undefined): Promise<ChannelAccess & ChannelRelation> {
  const access = await channelAccess(db, channelId, principal?.accountId);
  if (!access) throw problems.notFound('The channel');
  return { ...access, roles: principal?.roles };
}

/**
 * The one gate of every channel-scoped action: 401 without a caller, 404 without the channel,
 * 403 naming the missing permission. Returns the relation for the route to use.
 */
export async function requireChannelPermission(db: Db, channelId: string, principal: Principal | undefined, action: ChannelPermission | OwnerAction | TeamAction): Promise<ChannelAccess & ChannelRelation> {
  if (!principal) throw problems.unauthorized();
  const relation = await loadChannelRelation(db, channelId, principal);
  if (!mayOnChannel(relation, action)) {
    throw problems.forbidden(
      action === 'manage_admins' || action === 'delete_channel' ? 'Only the channel owner may do this.'
        : action === 'view_admins' ? "Only the channel's owner and admins may do this."
          : `This needs the channel permission ${action}.`,
    );
  }
  return relation;
}
