import { createBillingActivities } from '../activities/billing';
import { registerBillingRoutes } from '../api/routes/billing';
import { billingSchema } from '../platform/config/billing';
import { defineCapability } from './capability';

/** Films and plans: purchases, subscriptions and renewals, refunds, reporting webhooks. */
export const billingCapability = defineCapability({
  name: 'billing',
  config: billingSchema,
  routes: registerBillingRoutes,
  activities: { main: createBillingActivities },
});
