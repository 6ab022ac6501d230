/**
 * The floor the split-payment saga is compared with (bench/split-saga.ts): a workflow with the
 * saga's shape and nothing else — one remote activity (the charge), three remote ones at once (the
 * transfers), one local one (the ledger and the success), three local ones at once (the emails),
 * one local one (the notices) — every activity a no-op. Bundled on its own; not part of the platform.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

export interface SplitFloorActivities {
  floorRemote(input: { floorId: string; step: string }): Promise<void>;
  floorLocal(input: { floorId: string; step: string }): Promise<void>;
}

const { floorRemote } = proxyActivities<SplitFloorActivities>({ startToCloseTimeout: '10 seconds' });
const { floorLocal } = proxyLocalActivities<SplitFloorActivities>({ startToCloseTimeout: '10 seconds' });

export async function splitFloor(input: { floorId: string; recipients: number }): Promise<{ status: 'succeeded' }> {
  const each = (run: typeof floorRemote, step: string) => Promise.all(Array.from({ length: input.recipients }, (_, i) => run({ floorId: input.floorId, step: `${step}/${i}` })));
  await floorRemote({ floorId: input.floorId, step: 'charge' });
  await each(floorRemote, 'transfer');
  await floorLocal({ floorId: input.floorId, step: 'settle' });
  await each(floorLocal, 'email');
  await floorLocal({ floorId: input.floorId, step: 'notices' });
  return { status: 'succeeded' };
}
