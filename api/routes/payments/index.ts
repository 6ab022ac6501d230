import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';

/** Payment-provider routes (the Stripe webhook). */
export function registerPaymentsRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  void app;
  void deps;
}
