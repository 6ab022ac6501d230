import { registerAlertRoutes } from '../api/routes/platform/alerts';
import { alertsSchema } from '../platform/config/alerts';
import { registerStateGauges } from '../platform/metrics/gauges';
import { defineCapability } from './capability';

/**
 * Operating the platform: error tracking and alert channels (config), the admin alert routes, and
 * the gauges every process's /metrics serves. The worker's failure reporting lives in
 * workers/interceptors.ts; business counters sit where each capability records its events.
 */
export const operationsCapability = defineCapability({
  name: 'operations',
  config: alertsSchema,
  routes: (app, deps) => {
    registerStateGauges(deps);
    registerAlertRoutes(app, deps);
  },
  activities: {
    main: (deps) => {
      registerStateGauges(deps);
      return {};
    },
  },
});
