import type { CoreDeps } from '../../platform/deps';
import { createSplitStepActivities } from './activities';

/** Activities of the splits capability. Names are unique across the platform (they share one worker). */
export function createSplitsActivities(deps: CoreDeps) {
  return { ...createSplitStepActivities(deps) };
}

export type SplitsActivities = ReturnType<typeof createSplitsActivities>;
