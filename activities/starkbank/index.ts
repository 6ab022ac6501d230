import type { CoreDeps } from '../../platform/deps';

/** Activities of the starkbank capability. Names are unique across the platform (they share one worker). */
export function createStarkbankActivities(deps: CoreDeps) {
  void deps;
  return {};
}
