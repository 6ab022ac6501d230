import { CAPABILITIES, type Capability } from '../capabilities';
import type { CoreDeps } from '../platform/deps';

type TaskQueueKind = keyof NonNullable<Capability['activities']>;

/**
 * Every capability's activities of one task queue, bound to the process's dependencies. One worker
 * runs them all, so an activity name taken by two capabilities is refused at start.
 */
export function activitiesOf(kind: TaskQueueKind, deps: CoreDeps, capabilities: readonly Capability[] = CAPABILITIES): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  for (const capability of capabilities) {
    const activities = capability.activities?.[kind]?.(deps) ?? {};
    for (const [name, fn] of Object.entries(activities)) {
      if (name in all) throw new Error(`activity ${name} is registered twice (the second by ${capability.name})`);
      all[name] = fn;
    }
  }
  return all;
}

/** Every activity of the `limelight` task queue. */
export const createActivities = (deps: CoreDeps) => activitiesOf('main', deps);

/** Activities of the `limelight-media` task queue. */
export const createMediaActivities = (deps: CoreDeps) => activitiesOf('media', deps);
