import type { AppOpenAPI } from '../../app-types';
import type { CoreDeps } from '../../../platform/deps';

/** Routes of the billing capability. */
export function registerBillingRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  void app;
  void deps;
}
