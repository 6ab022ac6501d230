import type { Role } from '../auth';

/** What a channel admin may be granted; the owner implicitly holds all, and alone manages admins. */
export const CHANNEL_PERMISSIONS = ['add_content', 'edit_content', 'delete_content', 'moderate_comments', 'edit_channel'] as const;
export type ChannelPermission = (typeof CHANNEL_PERMISSIONS)[number];

/** Actions on a channel that are not grantable: only the owner (or, where noted, a platform admin) does them. */
export type OwnerAction = 'manage_admins' | 'delete_channel';

/** Actions open to the whole channel team (the owner and every admin, whatever their permissions). */
export type TeamAction = 'view_admins';

/** Who the caller is to one channel. */
export interface ChannelRelation {
  /** The caller's platform roles (absent: anonymous). */
  roles?: readonly Role[];
  isOwner: boolean;
  /** The caller's admin permissions on this channel (absent: not an admin). */
  adminPermissions?: readonly ChannelPermission[];
  isSubscriber: boolean;
}

/**
 * The one check of a channel permission: every route asks here. The owner may do everything;
 * an admin what they were granted; a platform admin may moderate comments everywhere (the
 * engagement issue) but edits no one's channel; manage_admins and delete_channel are the owner's alone;
 * view_admins (the admin list) is the team's.
 */
export function mayOnChannel(relation: ChannelRelation, action: ChannelPermission | OwnerAction | TeamAction): boolean {
  if (relation.isOwner) return true;
  if (action === 'manage_admins' || action === 'delete_channel') return false;
  if (action === 'view_admins') return isChannelTeam(relation);
  if (action === 'moderate_comments' && relation.roles?.includes('admin')) return true;
  return relation.adminPermissions?.includes(action) ?? false;
}

/** Whether the caller is on the channel's team (owner or admin): sees its private contents. */
export function isChannelTeam(relation: ChannelRelation): boolean {
  return relation.isOwner || relation.adminPermissions !== undefined;
}
