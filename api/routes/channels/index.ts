import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';
import { registerChannelAdminRoutes } from './admins';
import { registerChannelRoutes } from './channels';
import { registerChannelSubscriptionRoutes } from './subscriptions';

/**
 * Routes of the channels capability: channels (deletion runs in `channelDeletion-<id>`), their
 * admins and subscriptions. Every channel-scoped permission is checked by requireChannelPermission (access.ts).
 */
export function registerChannelsRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  registerChannelRoutes(app, deps);
  registerChannelAdminRoutes(app, deps);
  registerChannelSubscriptionRoutes(app, deps);
}
