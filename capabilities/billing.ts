import { createBillingActivities } from '../activities/billing';
import { startBillingKafkaRelay } from '../api/background/billing-kafka-relay';
import { registerBillingRoutes } from '../api/routes/billing';
import { z } from 'zod';
import { billingSchema } from '../platform/config/billing';
import { kafkaSchema } from '../platform/config/kafka';
import { defineCapability } from './capability';

/** Films and plans: purchases, subscriptions and renewals, refunds, reporting webhooks and Kafka. */
export const billingCapability = defineCapability({
  name: 'billing',
  config: z.object({ ...billingSchema.shape, ...kafkaSchema.shape }),
  routes: (app, deps, lifecycle) => {
    registerBillingRoutes(app, deps);
    startBillingKafkaRelay(deps, lifecycle);
  },
  activities: { main: createBillingActivities },
});
