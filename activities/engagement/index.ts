import type { CoreDeps } from '../../platform/deps';
import { createEngagementFlushActivities } from './flush';
import { createEngagementNotifyActivities } from './notify';

/** Activities of the engagement capability: the buffer flush and the upload notification fan-out. */
export function createEngagementActivities(deps: CoreDeps) {
  return { ...createEngagementFlushActivities(deps), ...createEngagementNotifyActivities(deps) };
}

export type EngagementActivities = ReturnType<typeof createEngagementActivities>;
