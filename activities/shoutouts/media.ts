import type { CoreDeps } from '../../platform/deps';

/** Activities of the `limelight-media` task queue (CPU-heavy, low concurrency). */
export function createShoutoutsMediaActivities(deps: CoreDeps) {
  void deps;
  return {};
}
