import { createShoutoutsActivities, createShoutoutsMediaActivities } from '../activities/shoutouts';
import { registerShoutoutsRoutes } from '../api/routes/shoutouts';
import { shoutoutsSchema } from '../platform/config/shoutouts';
import { defineCapability } from './capability';

/** Cameo-style orders: talents, orders, video upload and transcode, payouts. */
export const shoutoutsCapability = defineCapability({
  name: 'shoutouts',
  config: shoutoutsSchema,
  routes: registerShoutoutsRoutes,
  // The upload streams to storage and bounds itself by UPLOAD_MAX_BYTES.
  bodyLimits: [{ method: 'POST', path: '/v1/shoutouts/{id}/video', limit: 'streamed' }],
  activities: { main: createShoutoutsActivities, media: createShoutoutsMediaActivities },
});
