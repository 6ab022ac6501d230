import type { CoreDeps } from '../../platform/deps';

/** Activities of the accounts capability. Names are unique across the platform (they share one worker). */
export function createAccountsActivities(deps: CoreDeps) {
  void deps;
  return {};
}
