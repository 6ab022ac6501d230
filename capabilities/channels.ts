import { createChannelsActivities } from '../activities/channels';
import { registerChannelsRoutes } from '../api/routes/channels';
import { channelsSchema } from '../platform/config/channels';
import { defineCapability } from './capability';

/** The streaming community's channels: channels, their admins and subscribers, and channel deletion. */
export const channelsCapability = defineCapability({
  name: 'channels',
  config: channelsSchema,
  routes: registerChannelsRoutes,
  activities: { main: createChannelsActivities },
});
