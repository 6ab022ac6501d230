import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ChannelsActivities } from '../../activities/channels';
import type { ChannelDeletionInput, ChannelDeletionResult } from '../../domain/channels/deletion';

export type { ChannelDeletionInput, ChannelDeletionResult } from '../../domain/channels/deletion';

const activities = proxyActivities<ChannelsActivities>({
  startToCloseTimeout: '2 minutes',
  // Removal must finish: infrastructure failures retry (with backoff) until they succeed.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * `channelDeletion-<channelId>`: the channel is already hidden from every read (marked deleted by the
 * API); this removes what it held, in batches: contents with their media folders, then admins,
 * then subscriptions, then the channel row. Each batch is one activity, visible in the Temporal UI.
 * A long history continues as new with the totals so far (a rerun skips what is already gone).
 */
export async function channelDeletion(input: ChannelDeletionInput, done: ChannelDeletionResult = { contents: 0, admins: 0, subscriptions: 0, channelRemoved: false }): Promise<ChannelDeletionResult> {
  const totals = { ...done };
  const args = { channelId: input.channelId, batchSize: input.batchSize };
  const more = (n: number) => n >= input.batchSize;

  const drain = async (step: () => Promise<number>, add: (n: number) => void): Promise<void> => {
    for (;;) {
      const n = await step();
      add(n);
      if (!more(n)) return;
      if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof channelDeletion>(input, totals);
    }
  };

  await drain(async () => (await activities.channelsRemoveContentBatch(args)).contents, (n) => (totals.contents += n));
  await drain(async () => (await activities.channelsRemoveAdminBatch(args)).admins, (n) => (totals.admins += n));
  await drain(async () => (await activities.channelsRemoveSubscriptionBatch(args)).subscriptions, (n) => (totals.subscriptions += n));
  totals.channelRemoved = (await activities.channelsRemoveChannel({ channelId: input.channelId })).removed || totals.channelRemoved;
  return totals;
}
