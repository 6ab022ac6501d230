import { CAPABILITIES } from '../capabilities';
import type { CoreDeps } from '../platform/deps';

/** What a worker process sets up in Temporal before it polls: every capability's schedules, idempotently. */
export async function onWorkerStart(deps: CoreDeps): Promise<void> {
  for (const capability of CAPABILITIES) await capability.schedules?.(deps);
}
