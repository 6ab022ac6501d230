import { registerAdminConsoleRoutes } from '../api/routes/admin-console';
import { registerAdminDashboardRoutes } from '../api/routes/admin-dashboard';
import { registerSessionRoutes } from '../api/routes/session';
import { registerWebRoutes } from '../api/routes/web';
import { webSchema } from '../platform/config/web';
import { defineCapability } from './capability';

/**
 * The web app and what only it needed from the API: the browser session (refresh token in an
 * httpOnly cookie, CSRF-guarded), the admin dashboard's aggregates and the admin console's lists.
 * Listed last in capabilities/index.ts: the app answers only the paths no route above took.
 */
export const webCapability = defineCapability({
  name: 'web',
  config: webSchema,
  routes: (app, deps) => {
    registerSessionRoutes(app, deps);
    registerAdminDashboardRoutes(app, deps);
    registerAdminConsoleRoutes(app, deps);
    registerWebRoutes(app, deps);
  },
});
