import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';
import { DEV_STRIPE_WEBHOOK_SECRET } from '../../../platform/config/payments';
import { registerStripeWebhook } from './stripe-webhook';

export { stripeEventRoutes, routeFor, toSignalPayload, defaultWorkflowId, type StripeEventRoute } from './stripe-routing';

/** Payment-provider routes: the Stripe webhook (POST /webhooks/stripe). */
export function registerPaymentsRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  if (deps.config.NODE_ENV === 'production' && deps.config.STRIPE_WEBHOOK_SECRET === DEV_STRIPE_WEBHOOK_SECRET) {
    // Anyone reading this repository could sign events with the development secret.
    throw new Error('STRIPE_WEBHOOK_SECRET must be set in production (it still has the development default).');
  }
  registerStripeWebhook(app, deps);
}
