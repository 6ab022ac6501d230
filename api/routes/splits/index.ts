import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';
import { requireAuth } from '../../middleware/auth';
import { registerPayoutAccountRoutes } from './payout-accounts';
import { registerSplitPaymentRoutes } from './split-payments';

/** Routes of the splits capability: payout accounts and split payments (workflow `split-<id>`). */
export function registerSplitsRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const auth = requireAuth(deps.config.JWT_SECRET);
  app.use('/v1/payout-accounts', auth);
  app.use('/v1/split-payments', auth);
  app.use('/v1/split-payments/*', auth);
  registerPayoutAccountRoutes(app, deps);
  registerSplitPaymentRoutes(app, deps);
}
