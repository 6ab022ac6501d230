import type { CoreDeps } from '../../platform/deps';

/** Activities of the shoutouts capability. Names are unique across the platform (they share one worker). */
export function createShoutoutsActivities(deps: CoreDeps) {
  void deps;
  return {};
}

/** Activities of the `limelight-media` task queue (CPU-heavy, low concurrency). */
export function createShoutoutsMediaActivities(deps: CoreDeps) {
  void deps;
  return {};
}
