import type { CoreDeps } from '../../platform/deps';
import { removeChannelAdminsBatch } from '../../stores/channels/admins';
import { removeDeletedChannel } from '../../stores/channels/channels';
import { removeChannelSubscriptionsBatch } from '../../stores/channels/subscriptions';
import { contentIdsOfChannel, contentMediaPrefix, deleteContentRows } from '../../stores/contents/channel-removal';

/**
 * Activities of the channels capability: the steps of `channelDeletion`. Each one is idempotent
 * (it removes what is still there), so a retry after a crash finishes the job and never fails on
 * what an earlier attempt already removed.
 */
export function createChannelsActivities(deps: CoreDeps) {
  const { db, logger, ports } = deps;

  return {
    /**
     * Up to `batchSize` contents of the channel: their media folders first, then their rows, so a
     * crash in between leaves rows that the retry finds again (never files without a row).
     */
    async channelsRemoveContentBatch(input: { channelId: string; batchSize: number }): Promise<{ contents: number; files: number }> {
      const ids = await contentIdsOfChannel(db, input.channelId, input.batchSize);
      let files = 0;
      for (const id of ids) files += await ports.storage.deletePrefix(contentMediaPrefix(id));
      await deleteContentRows(db, input.channelId, ids);
      // Every id found is gone now (by this call or a concurrent one): the workflow loops on this count.
      return { contents: ids.length, files };
    },

    /** Up to `batchSize` admins of the channel. */
    async channelsRemoveAdminBatch(input: { channelId: string; batchSize: number }): Promise<{ admins: number }> {
      return { admins: await removeChannelAdminsBatch(db, input.channelId, input.batchSize) };
    },

    /** Up to `batchSize` subscriptions of the channel. */
    async channelsRemoveSubscriptionBatch(input: { channelId: string; batchSize: number }): Promise<{ subscriptions: number }> {
      return { subscriptions: await removeChannelSubscriptionsBatch(db, input.channelId, input.batchSize) };
    },

    /** The channel row itself, last (only while it is marked deleted). */
    async channelsRemoveChannel(input: { channelId: string }): Promise<{ removed: boolean }> {
      const removed = await removeDeletedChannel(db, input.channelId);
      if (removed) logger.info({ channelId: input.channelId }, 'channel deleted with its contents, media, admins and subscriptions');
      return { removed };
    },
  };
}

export type ChannelsActivities = ReturnType<typeof createChannelsActivities>;
