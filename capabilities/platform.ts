import { z } from 'zod';
import { createEmailActivities } from '../activities/email/activities';
import { createPingActivities } from '../activities/platform/ping';
import { registerPingRoutes } from '../api/routes/ping';
import { deploysSchema } from '../platform/config/deploys';
import { mailSchema } from '../platform/config/mail';
import { mediaSchema } from '../platform/config/media';
import { platformSchema } from '../platform/config/platform';
import { defineCapability } from './capability';

/** What every process shares: where it listens and what it talks to, the ports' settings, email, ping. */
export const platformCapability = defineCapability({
  name: 'platform',
  config: z.object({ ...platformSchema.shape, ...mailSchema.shape, ...mediaSchema.shape, ...deploysSchema.shape }),
  routes: registerPingRoutes,
  activities: { main: (deps) => ({ ...createPingActivities(deps), ...createEmailActivities(deps) }) },
});
