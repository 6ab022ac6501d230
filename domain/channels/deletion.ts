/** What the `channelDeletion-<channelId>` workflow is given. */
export interface ChannelDeletionInput {
  channelId: string;
  /** Rows (and, for contents, media folders) removed per activity call. */
  batchSize: number;
}

/** What it removed, summed over its runs (it continues as new on long histories). */
export interface ChannelDeletionResult {
  contents: number;
  admins: number;
  subscriptions: number;
  channelRemoved: boolean;
}

export function channelDeletionWorkflowId(channelId: string): string {
  return `channelDeletion-${channelId}`;
}
