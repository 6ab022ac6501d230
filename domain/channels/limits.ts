import type { Role } from '../auth';

/** How many live channels one account may own, by its platform role. */
export interface ChannelLimits {
  normal: number;
  premium: number;
}

/**
 * The limit of an account holding `roles`: platform admins have none (undefined), premium members
 * the premium limit, everyone else the normal one. Roles are read from the account at the time of
 * the request, so when premium ends the lower limit applies to new channels at once (existing ones stay).
 */
export function channelLimitFor(roles: readonly Role[], limits: ChannelLimits): number | undefined {
  if (roles.includes('admin')) return undefined;
  if (roles.includes('premium')) return Math.max(limits.normal, limits.premium);
  return limits.normal;
}
