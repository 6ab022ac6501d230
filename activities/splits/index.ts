import type { CoreDeps } from '../../platform/deps';

/** Activities of the splits capability. Names are unique across the platform (they share one worker). */
export function createSplitsActivities(deps: CoreDeps) {
  void deps;
  return {};
}
