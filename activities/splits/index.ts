import type { CoreDeps } from '../../platform/deps';
import { createSplitStepActivities } from './activities';
import { createSplitNoticeActivities } from './notices';

/** Activities of the splits capability. Names are unique across the platform (they share one worker). */
export function createSplitsActivities(deps: CoreDeps) {
  return { ...createSplitStepActivities(deps), ...createSplitNoticeActivities(deps) };
}

export type SplitsActivities = ReturnType<typeof createSplitsActivities>;
