import { z } from 'zod';
import { createEmailActivities } from '../activities/email/activities';
import { createPingActivities } from '../activities/platform/ping';
import { registerCodecRoutes } from '../api/routes/platform/codec';
import { registerPingRoutes } from '../api/routes/ping';
import { codecSchema } from '../platform/config/codec';
import { deploysSchema } from '../platform/config/deploys';
import { mailSchema } from '../platform/config/mail';
import { mediaSchema } from '../platform/config/media';
import { platformSchema } from '../platform/config/platform';
import { defineCapability } from './capability';

/** What every process shares: where it listens and what it talks to, the ports' settings, email, ping. */
export const platformCapability = defineCapability({
  name: 'platform',
  config: z.object({ ...platformSchema.shape, ...mailSchema.shape, ...mediaSchema.shape, ...codecSchema.shape, ...deploysSchema.shape }),
  routes: (app, deps) => {
    registerPingRoutes(app, deps);
    registerCodecRoutes(app, deps);
  },
  activities: { main: (deps) => ({ ...createPingActivities(deps), ...createEmailActivities(deps) }) },
});
