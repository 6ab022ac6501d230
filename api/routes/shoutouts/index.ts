import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';
import { requireAuth, requireRole } from '../../middleware/auth';
import { registerAdminRoutes } from './admin';
import { registerMediaRoutes } from './media';
import { registerOrderRoutes } from './orders';
import { registerTalentRoutes } from './talents';

/** Routes of the shoutouts capability: talents, orders (workflow `shoutout-<id>`), media, admin refunds and payouts. */
export function registerShoutoutsRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const auth = requireAuth(deps.config.JWT_SECRET);
  app.use('/v1/shoutouts', auth);
  app.use('/v1/shoutouts/*', auth);
  app.use('/v1/admin/shoutouts/*', auth, requireRole('admin'));
  app.use('/v1/admin/payouts', auth, requireRole('admin'));
  registerTalentRoutes(app, deps);
  registerOrderRoutes(app, deps);
  registerMediaRoutes(app, deps);
  registerAdminRoutes(app, deps);
}
