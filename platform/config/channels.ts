import { z } from 'zod';

const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** Variables of the channels capability: how many channels an account may own, how deletion batches. */
export const channelsSchema = z.object({
  /** Most live channels a normal account (no premium, not admin) may own; platform admins have no limit. */
  CHANNELS_MAX_NORMAL: z.coerce.number().int().min(0).default(5),
  /** Most live channels a premium member may own (never fewer than CHANNELS_MAX_NORMAL). */
  CHANNELS_MAX_PREMIUM: z.coerce.number().int().min(0).default(10),
  /** Rows (contents with their media folders, admins, subscriptions) the channelDeletion workflow removes per activity call. */
  CHANNEL_DELETION_BATCH: positive(100),
});

export type ChannelsConfig = z.infer<typeof channelsSchema>;
