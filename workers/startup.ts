import type { CoreDeps } from '../platform/deps';
import { ensureStarkbankSchedule } from './starkbank-schedule';

/** What a worker process sets up in Temporal before it polls (schedules, idempotently). */
export async function onWorkerStart(deps: CoreDeps): Promise<void> {
  await ensureStarkbankSchedule(deps);
}
