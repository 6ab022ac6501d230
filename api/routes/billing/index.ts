import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';
import { registerBillingAdminRoutes } from './admin';
import { registerProductRoutes } from './products';
import { registerPurchaseRoutes } from './purchases';
import { registerSubscriptionRoutes } from './subscriptions';

/** Routes of the billing capability: catalogue, film purchases, subscriptions, admin payments and webhooks. */
export function registerBillingRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  registerProductRoutes(app, deps);
  registerPurchaseRoutes(app, deps);
  registerSubscriptionRoutes(app, deps);
  registerBillingAdminRoutes(app, deps);
}
