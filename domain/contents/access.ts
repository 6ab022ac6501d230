import { isChannelTeam, type ChannelRelation } from '../channels/permissions';
import type { ContentAudience, ContentStatus, ContentVisibility } from './index';

/**
 * Who sees and plays a content. The channel's team (owner and admins) sees everything of its
 * channel; everyone else sees published contents that are public, or unlisted (by id only, never
 * in lists); private contents are the team's alone. Premium contents play for premium members,
 * platform admins and the team; others see them listed but their media answer 403.
 */
export function canSeeContent(content: { status: ContentStatus; visibility: ContentVisibility }, relation: ChannelRelation): boolean {
  if (isChannelTeam(relation)) return true;
  return content.status === 'published' && content.visibility !== 'private';
}

/** What a channel's content list shows the caller: everything to the team, published public contents to others. */
export function listFilterFor(relation: ChannelRelation): 'all' | 'public' {
  return isChannelTeam(relation) ? 'all' : 'public';
}

export type PlayDecision = 'allowed' | 'premium_required';

export function playDecision(content: { audience: ContentAudience }, relation: ChannelRelation): PlayDecision {
  if (content.audience === 'everyone' || isChannelTeam(relation)) return 'allowed';
  const roles = relation.roles ?? [];
  return roles.includes('premium') || roles.includes('admin') ? 'allowed' : 'premium_required';
}
