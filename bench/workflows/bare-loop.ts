/**
 * The floor the subscription workflow is compared with (bench/subscriptions.ts): the smallest
 * Temporal loop with the same shape as one renewal — a timer, one local activity, continue-as-new.
 * With `dueAt` it keeps a fixed schedule like a subscription's periods (it sleeps until dueAt, and
 * the next is one period later, so lateness adds up when the server falls behind); without it,
 * it sleeps a period each time. Bundled on its own; not part of the platform.
 */
import { continueAsNew, proxyLocalActivities, sleep } from '@temporalio/workflow';

export interface BareLoopInput {
  loopId: string;
  periodMs: number;
  iteration: number;
  dueAt?: number;
}

export interface BareLoopActivities {
  bareTick(input: { loopId: string; iteration: number; dueAt?: number }): Promise<void>;
}

const { bareTick } = proxyLocalActivities<BareLoopActivities>({ startToCloseTimeout: '10 seconds' });

export async function bareLoop(input: BareLoopInput): Promise<void> {
  await sleep(input.dueAt === undefined ? input.periodMs : Math.max(1, input.dueAt - Date.now()));
  await bareTick({ loopId: input.loopId, iteration: input.iteration, dueAt: input.dueAt });
  await continueAsNew<typeof bareLoop>({ ...input, iteration: input.iteration + 1, dueAt: input.dueAt === undefined ? undefined : input.dueAt + input.periodMs });
}
