import { createSplitsActivities } from '../activities/splits';
import { registerSplitsRoutes } from '../api/routes/splits';
import { splitsSchema } from '../platform/config/splits';
import { defineCapability } from './capability';

/** Split payments: the saga, its event log, payout accounts. */
export const splitsCapability = defineCapability({
  name: 'splits',
  config: splitsSchema,
  routes: registerSplitsRoutes,
  activities: { main: createSplitsActivities },
});
