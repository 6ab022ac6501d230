import type { CoreDeps } from '../../platform/deps';

export { createShoutoutsMediaActivities } from './media';

/** Activities of the shoutouts capability. Names are unique across the platform (they share one worker). */
export function createShoutoutsActivities(deps: CoreDeps) {
  void deps;
  return {};
}
