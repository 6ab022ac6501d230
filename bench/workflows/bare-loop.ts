/**
 * The floor the subscription workflow is compared with (bench/renewals-vs-bare-loop.ts): the
 * smallest Temporal loop with the same shape as one renewal — a timer, one local activity,
 * continue-as-new. Bundled on its own; not part of the platform.
 */
import { continueAsNew, proxyLocalActivities, sleep } from '@temporalio/workflow';

export interface BareLoopActivities {
  bareTick(input: { loopId: string; iteration: number }): Promise<void>;
}

const { bareTick } = proxyLocalActivities<BareLoopActivities>({ startToCloseTimeout: '10 seconds' });

export async function bareLoop(input: { loopId: string; periodMs: number; iteration: number }): Promise<void> {
  await sleep(input.periodMs);
  await bareTick({ loopId: input.loopId, iteration: input.iteration });
  await continueAsNew<typeof bareLoop>({ ...input, iteration: input.iteration + 1 });
}
