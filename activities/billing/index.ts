import type { CoreDeps } from '../../platform/deps';

/** Activities of the billing capability. Names are unique across the platform (they share one worker). */
export function createBillingActivities(deps: CoreDeps) {
  void deps;
  return {};
}
