import type { CoreDeps } from '../../platform/deps';
import { createBillingNoticeActivities } from './notices';
import { createPurchaseActivities } from './purchases';
import { createSubscriptionActivities } from './subscriptions';
import { createWebhookActivities } from './webhooks';

/** Activities of the billing capability. Names are unique across the platform (they share one worker). */
export function createBillingActivities(deps: CoreDeps) {
  return {
    ...createSubscriptionActivities(deps),
    ...createPurchaseActivities(deps),
    ...createWebhookActivities(deps),
    ...createBillingNoticeActivities(deps),
  };
}

export type BillingActivities = ReturnType<typeof createBillingActivities>;
